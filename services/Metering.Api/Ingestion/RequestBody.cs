using System.Buffers;
using System.IO.Compression;

namespace Metering.Api.Ingestion;

/// <summary>
/// Reads an ingestion request's body within <see cref="IngestOptions"/>' limits, undoing <c>Content-Encoding: gzip</c>
/// on the way. Never buffers more than the limit: a huge body or a gzip bomb stops at it.
/// </summary>
public static class RequestBody
{
    /// <returns>The bytes, or a problem to answer with (400 bad encoding, 413 too large, 415 unknown encoding).</returns>
    public static async Task<(byte[]? Body, IResult? Problem)> ReadAsync(HttpRequest request, IngestOptions options, CancellationToken cancellationToken)
    {
        if (request.ContentLength > options.MaxBodyBytes)
        {
            return (null, TooLarge($"the body is {request.ContentLength:N0} bytes; at most {options.MaxBodyBytes:N0} are taken"));
        }

        var encoding = request.Headers.ContentEncoding.ToString().Trim();
        var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase) || encoding.Equals("x-gzip", StringComparison.OrdinalIgnoreCase);
        if (!gzip && encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return (null, TypedResults.Problem($"Content-Encoding {Problems.Quote(encoding)} is not supported; send gzip or nothing", statusCode: 415, title: "Unsupported Media Type"));
        }

        var sent = await ReadUpToAsync(request.Body, options.MaxBodyBytes, cancellationToken);
        if (sent is null)
        {
            return (null, TooLarge($"the body is larger than the {options.MaxBodyBytes:N0} bytes taken"));
        }

        if (!gzip)
        {
            return (sent, null);
        }

        try
        {
            await using var unzip = new GZipStream(new MemoryStream(sent), CompressionMode.Decompress);
            var decoded = await ReadUpToAsync(unzip, options.MaxDecodedBytes, cancellationToken);
            return decoded is null
                ? (null, TooLarge($"the body decompresses to more than the {options.MaxDecodedBytes:N0} bytes taken"))
                : (decoded, null);
        }
        catch (InvalidDataException e)
        {
            return (null, TypedResults.Problem($"the body is not valid gzip: {e.Message}", statusCode: 400, title: "Bad Request"));
        }
    }

    /// <summary>The whole stream, or null as soon as it holds more than <paramref name="limit"/> bytes.</summary>
    private static async Task<byte[]?> ReadUpToAsync(Stream stream, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static IResult TooLarge(string detail) => TypedResults.Problem(detail, statusCode: 413, title: "Content Too Large");
}
