using System.Collections.Frozen;
using System.Reflection;

namespace Metering.Api.Dashboard;

/// <summary>
/// The dashboard's page, script and stylesheet, embedded in the assembly: the service serves them itself, whatever its
/// working directory, and the page needs nothing from any other host.
/// </summary>
public static class DashboardAssets
{
    /// <summary>Only this origin, no inline script or style, no framing: the page can reach nothing but this service.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, (byte[] Content, string ContentType)> Assets = Load();

    public static IResult Serve(string name) =>
        Assets.TryGetValue(name, out var asset)
            ? new AssetResult(asset.Content, asset.ContentType)
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"the dashboard has no file {Problems.Quote(name)}");

    private static FrozenDictionary<string, (byte[], string)> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        const string prefix = "Metering.Api.Dashboard.Assets.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .ToFrozenDictionary(n => n[prefix.Length..], n => (Read(assembly, n), ContentTypeOf(n)), StringComparer.Ordinal);
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private sealed class AssetResult(byte[] content, string contentType) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            // Small files, served from memory: revalidate every load so a new build is picked up at once.
            headers.CacheControl = "no-cache";
            http.Response.ContentType = contentType;
            http.Response.ContentLength = content.Length;
            return http.Response.Body.WriteAsync(content).AsTask();
        }
    }
}
