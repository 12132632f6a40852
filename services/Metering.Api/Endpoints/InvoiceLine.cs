namespace Metering.Api.Endpoints;

/// <param name="Kind"><c>charge</c>, or <c>reversal</c> for what reversals of the cycle's entries took back (negative tokens and amount).</param>
public sealed record InvoiceLine(
    string Provider, string Model, string Bucket, int Tier, string Discount, long Tokens, string RatePerMillion, string Amount, string ExactAmount, string Kind);
