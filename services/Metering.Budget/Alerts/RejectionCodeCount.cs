namespace Metering.Budget.Alerts;

/// <summary>How many rejections of a spike had this code (SPEC §7: <c>invalid</c>, <c>unknown-model</c>, <c>cycle-closed</c>…).</summary>
public sealed record RejectionCodeCount(string Code, long Count);
