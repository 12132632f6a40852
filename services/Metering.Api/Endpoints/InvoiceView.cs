namespace Metering.Api.Endpoints;

public sealed record InvoiceView(
    string TenantId, string Cycle, string Status, string Currency, IReadOnlyList<InvoiceLine> Lines, string Total, string TotalBeforeRounding,
    long ReasoningTokens);
