namespace Metering.Pricing.Usage;

/// <summary>Why an event was not billed, in a form a person can act on.</summary>
public sealed record Rejection(string Code, string Message);
