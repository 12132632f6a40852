using Metering.Api.Access;
using Metering.Ingestion.Otlp;
using Microsoft.Extensions.Options;

namespace Metering.Api.Ingestion;

/// <summary>The HTTP front doors of SPEC §14, for keys of role <c>ingest</c> (and admin).</summary>
public static class IngestEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/events", Events).RequireAuthorization(Policies.Ingest).DisableAntiforgery()
            .Produces<IngestResponse>(StatusCodes.Status202Accepted)
            .Produces<IngestResponse>(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Ingest usage: one SPEC §3 event or native payload, an array of up to 1,000, or CloudEvents (structured or batch); gzip welcome. "
                         + "202 only once RabbitMQ has confirmed; broken items are answered 400 with per-item errors and kept as rejections; 503 with Retry-After when the broker does not confirm.");

        v1.MapPost("/traces", Traces).RequireAuthorization(Policies.Ingest).DisableAntiforgery()
            .Produces(StatusCodes.Status200OK, contentType: TraceIngestion.Protobuf)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("OTLP/HTTP trace export (application/x-protobuf or application/json, gzip welcome): every GenAI span is metered, once per trace and span id; other spans are ignored. "
                         + "200 with an ExportTraceServiceResponse once RabbitMQ has confirmed; its partial_success counts the GenAI spans refused and kept as rejections.");
    }

    private static async Task<IResult> Events(HttpRequest request, EventIngestion ingestion, IOptions<IngestOptions> options, CancellationToken cancellationToken)
    {
        var mediaType = MediaType(request);
        var batch = mediaType == CloudEvents.BatchMediaType;
        if (mediaType is not ("application/json" or CloudEvents.StructuredMediaType or CloudEvents.BatchMediaType))
        {
            return UnsupportedMediaType(mediaType, $"application/json, {CloudEvents.StructuredMediaType} or {CloudEvents.BatchMediaType}");
        }

        var (body, problem) = await RequestBody.ReadAsync(request, options.Value, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new List<ItemError>();
        if (mediaType != "application/json")
        {
            body = CloudEvents.Unwrap(body!, batch, errors);
        }

        return await ingestion.IngestAsync("events", Caller.From(request.HttpContext.User), body!, errors, cancellationToken);
    }

    private static async Task<IResult> Traces(HttpRequest request, TraceIngestion ingestion, IOptions<IngestOptions> options, CancellationToken cancellationToken)
    {
        var mediaType = MediaType(request);
        OtlpEncoding encoding;
        switch (mediaType)
        {
            case TraceIngestion.Protobuf:
                encoding = OtlpEncoding.Protobuf;
                break;
            case "application/json":
                encoding = OtlpEncoding.Json;
                break;
            default:
                return UnsupportedMediaType(mediaType, $"{TraceIngestion.Protobuf} or application/json");
        }

        var (body, problem) = await RequestBody.ReadAsync(request, options.Value, cancellationToken);
        return problem ?? await ingestion.IngestAsync(Caller.From(request.HttpContext.User), body!, encoding, cancellationToken);
    }

    /// <summary>The media type without parameters, lower case; JSON when none is given.</summary>
    public static string MediaType(HttpRequest request) =>
        request.ContentType is { Length: > 0 } type ? type.Split(';')[0].Trim().ToLowerInvariant() : "application/json";

    public static IResult UnsupportedMediaType(string mediaType, string expected) =>
        TypedResults.Problem($"Content-Type {Problems.Quote(mediaType)} is not taken here; send {expected}", statusCode: 415, title: "Unsupported Media Type");
}
