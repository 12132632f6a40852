namespace Metering.Api.Endpoints;

public sealed record RejectionPage(IReadOnlyList<RejectionView> Items, string? NextCursor);
