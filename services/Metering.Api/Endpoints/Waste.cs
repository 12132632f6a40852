namespace Metering.Api.Endpoints;

public sealed record Waste(long Tokens, string Cost);
