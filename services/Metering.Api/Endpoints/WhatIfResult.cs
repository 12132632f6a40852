namespace Metering.Api.Endpoints;

/// <summary>
/// <c>unpriced</c> counts events the target has no price for at their time; they keep their current cost in the totals.
/// </summary>
public sealed record WhatIfResult(
    string TenantId, string Cycle, string As, string? From, long Events, long Unpriced, string CurrentCost, string RepricedCost, string Difference,
    IReadOnlyList<WhatIfModel> ByModel);
