namespace Metering.Pricing.Batches;

/// <summary>
/// A delivery of an event that was already billed: in an earlier transaction (<see cref="FirstDelivery"/> names what
/// that transaction published, to publish again), or earlier in this very batch (null: the batch publishes anyway).
/// </summary>
public sealed record DuplicateRead(EventKey Key, Guid? FirstDelivery);
