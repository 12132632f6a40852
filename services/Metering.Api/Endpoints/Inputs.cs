using System.Buffers.Text;
using System.Globalization;
using Metering.Pricing;
using Metering.Pricing.Usage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Metering.Api.Endpoints;

/// <summary>Reading path and query parameters: every bad value is a 400 that names the parameter, never a 500.</summary>
public static class Inputs
{
    public const int MaxPageSize = 1_000;
    public const int DefaultPageSize = 100;

    public static ValidationProblem? TenantId(string tenantId) =>
        TenantIds.IsValid(tenantId) ? null : Problems.Invalid("tenantId", $"{Problems.Quote(tenantId)} is not a tenant id: 1–64 letters, digits, '.', '_' or '-'");

    /// <summary>A cycle name (its start date) or <c>current</c>.</summary>
    public static bool TryCycle(string cycle, TenantSettings tenant, DateTimeOffset now, out BillingCycle value, out ValidationProblem? problem)
    {
        problem = null;
        if (string.Equals(cycle, "current", StringComparison.OrdinalIgnoreCase))
        {
            value = BillingCycle.Containing(now, tenant.CycleAnchorDay);
            return true;
        }

        if (BillingCycle.TryParse(cycle, tenant.CycleAnchorDay, out value))
        {
            return true;
        }

        problem = Problems.Invalid(
            "cycle",
            $"{Problems.Quote(cycle)} is not a cycle of tenant {tenant.TenantId}: give 'current' or a start date yyyy-MM-dd on its anchor day {tenant.CycleAnchorDay}");
        return false;
    }

    public static bool TryLimit(string? limit, out int value, out ValidationProblem? problem)
    {
        problem = null;
        value = DefaultPageSize;
        if (limit is null)
        {
            return true;
        }

        if (int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value is >= 1 and <= MaxPageSize)
        {
            return true;
        }

        problem = Problems.Invalid("limit", $"{Problems.Quote(limit)} is not a page size: 1 to {MaxPageSize}");
        return false;
    }

    /// <summary>An opaque keyset cursor: the id of the last row of the previous page.</summary>
    public static bool TryCursor(string? cursor, out long? after, out ValidationProblem? problem)
    {
        problem = null;
        after = null;
        if (cursor is null)
        {
            return true;
        }

        // 8 bytes in unpadded base64url: 11 characters of [A-Za-z0-9_-].
        Span<byte> bytes = stackalloc byte[8];
        if (cursor.Length == 11
            && cursor.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            && Base64Url.DecodeFromChars(cursor, bytes) == 8)
        {
            after = BitConverter.ToInt64(bytes);
            return true;
        }

        problem = Problems.Invalid("cursor", $"{Problems.Quote(cursor)} is not a cursor from a previous page's nextCursor");
        return false;
    }

    public static string Cursor(long id) => Base64Url.EncodeToString(BitConverter.GetBytes(id));

    public static bool TryTime(string? text, string field, out DateTimeOffset? value, out ValidationProblem? problem)
    {
        problem = null;
        value = null;
        if (text is null)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) && text.Length <= 40)
        {
            value = parsed;
            return true;
        }

        problem = Problems.Invalid(field, $"{Problems.Quote(text)} is not an ISO-8601 time, e.g. 2026-11-01T00:00:00Z");
        return false;
    }

    public static ValidationProblem? Range(DateTimeOffset? from, DateTimeOffset? to) =>
        from is { } f && to is { } t && t <= f ? Problems.Invalid("to", $"'to' ({t:O}) must be after 'from' ({f:O})") : null;

    public static string Format(decimal value) => Money.Format(value);

    /// <summary>A ratio or rate for display: 6 decimal places, as a string; null when the denominator is 0.</summary>
    public static string? Ratio(decimal numerator, decimal denominator) =>
        denominator == 0 ? null : Money.Format(Math.Round(numerator / denominator, 6, MidpointRounding.ToEven));
}
