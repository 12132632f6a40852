namespace Metering.Api.Endpoints;

public sealed record BucketTotals(string Provider, string Model, string Bucket, long Tokens, string Cost);
