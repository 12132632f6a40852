namespace Metering.Api.Endpoints;

public sealed record ChargeView(string Kind, int Tier, long Tokens, string Discount, string RatePerMillion, string Amount);
