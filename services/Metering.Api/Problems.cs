using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Metering.Api;

/// <summary>RFC 9457 problem details with a detail a person can act on; validation problems name the field.</summary>
public static partial class Problems
{
    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: $"{field}: {message}");

    public static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(detail, statusCode: 404, title: "Not Found");

    public static ProblemHttpResult Conflict(string detail) => TypedResults.Problem(detail, statusCode: 409, title: "Conflict");

    public static ProblemHttpResult Forbidden(string detail) => TypedResults.Problem(detail, statusCode: 403, title: "Forbidden");

    public static ProblemHttpResult Unprocessable(string detail) => TypedResults.Problem(detail, statusCode: 422, title: "Unprocessable");

    /// <summary>503: something of ours is not answering; the caller may retry (say when with a Retry-After header).</summary>
    public static ProblemHttpResult Unavailable(string detail) => TypedResults.Problem(detail, statusCode: 503, title: "Service Unavailable");

    /// <summary>Echoes untrusted input into a message safely: short, printable.</summary>
    public static string Quote(string? text) =>
        text is null ? "(none)" : "'" + Unprintable().Replace(text.Length > 64 ? text[..64] + "…" : text, "?") + "'";

    [GeneratedRegex(@"[^\x20-\x7E]")]
    private static partial Regex Unprintable();
}
