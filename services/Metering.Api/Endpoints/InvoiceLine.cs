namespace Metering.Api.Endpoints;

/// <param name="Model">The model as the events sent it.</param>
/// <param name="PricedAs">The catalog's provider/model it is priced as (differs when a match rule or a provider fallback found it).</param>
/// <param name="Kind"><c>charge</c>, or <c>reversal</c> for what reversals of the cycle's entries took back (negative tokens and amount).</param>
public sealed record InvoiceLine(
    string Provider, string Model, string PricedAs, string Bucket, int Tier, string Discount, long Tokens, string RatePerMillion, string Amount, string ExactAmount, string Kind);
