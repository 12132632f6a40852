namespace Metering.Ledger.Model;

/// <summary>One accepted event, priced. Append-only: never updated, only reversed.</summary>
public sealed class LedgerEntry
{
    public long Id { get; set; }

    public required string TenantId { get; set; }

    public required string EventId { get; set; }

    public EntryKind Kind { get; set; }

    /// <summary>For a reversal, the entry it negates: in the same cycle, with every amount and token count negated.</summary>
    public long? ReversesId { get; set; }

    public DateOnly Cycle { get; set; }

    public required string Provider { get; set; }

    public required string Model { get; set; }

    public string? Service { get; set; }

    public string? RequestId { get; set; }

    public Dictionary<string, string>? Attributes { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public DateTimeOffset PricedAt { get; set; }

    public long PromptTokens { get; set; }

    public long CompletionTokens { get; set; }

    public long CachedTokens { get; set; }

    public long CacheWriteTokens { get; set; }

    public long? MaxTokens { get; set; }

    /// <summary>Part of <see cref="CompletionTokens"/> (SPEC §13).</summary>
    public long ReasoningTokens { get; set; }

    /// <summary>Prompt tokens plus billed output: what the event added to the tier counter.</summary>
    public long BilledTokens { get; set; }

    public long BilledOutputTokens { get; set; }

    public long ReservedOutputWaste { get; set; }

    public decimal ReservedOutputWasteCost { get; set; }

    /// <summary>The provider's tier counter before this event: its tokens occupy [this, this + billed tokens).</summary>
    public long TierPositionBefore { get; set; }

    /// <summary>The catalog entry used: <c>provider/model@effectiveFrom</c>.</summary>
    public required string PriceEntryId { get; set; }

    /// <summary>The catalog rule that matched the model name (e.g. <c>starts_with:claude-sonnet-4-5</c>); null when the name was the entry's model.</summary>
    public string? MatchedBy { get; set; }

    public required string TierSchedule { get; set; }

    public decimal Cost { get; set; }

    public required List<LedgerCharge> Charges { get; set; }

    /// <summary>For a reversal, why it was made, and by whom.</summary>
    public string? Reason { get; set; }
}
