namespace Metering.Api.Endpoints;

/// <summary>One ledger entry as the API serves it (written by <see cref="Queries.LedgerPageQuery"/>).</summary>
public sealed record EntryView(
    long Id,
    string EventId,
    string Kind,
    long? ReversesId,
    string Cycle,
    string Provider,
    string Model,
    string? Service,
    string? RequestId,
    IReadOnlyDictionary<string, string>? Attributes,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    DateTimeOffset PricedAt,
    EntryTokens Tokens,
    Waste ReservedOutputWaste,
    long TierPositionBefore,
    string PriceEntry,
    string PricedAs,
    string? MatchedBy,
    string TierSchedule,
    string Cost,
    IReadOnlyList<ChargeView> Charges);
