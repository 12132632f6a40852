namespace Metering.Pricing.Usage;

/// <summary>A tenant id: 1–64 characters of <c>[A-Za-z0-9._-]</c> (SPEC §3).</summary>
public static class TenantIds
{
    public const int MaxLength = 64;

    public static bool IsValid(string? tenantId)
    {
        if (string.IsNullOrEmpty(tenantId) || tenantId.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in tenantId)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
