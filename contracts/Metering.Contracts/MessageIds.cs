using System.Security.Cryptography;
using System.Text;

namespace Metering.Contracts;

/// <summary>
/// Deterministic message ids: the same logical message always gets the same id, so redeliveries, republished
/// duplicates and competing instances can be recognised downstream. Name-based UUIDs (RFC 9562 version 5).
/// </summary>
public static class MessageIds
{
    private static readonly Guid MeteringNamespace = new("6f1b0a3e-4c8d-5e2f-9a7b-3c1d2e4f5a6b");

    public static Guid SpendUpdated(string tenantId, string cycle, long version) =>
        NameBased($"spend-updated/{tenantId}/{cycle}/{version}");

    public static Guid ThrottleCommand(string tenantId, string cycle, long sequence) =>
        NameBased($"throttle/{tenantId}/{cycle}/{sequence}");

    /// <summary>A scoped budget's command: its sequence is the scope's, so the scope is part of the name.</summary>
    public static Guid ThrottleCommand(string tenantId, BudgetScope scope, string period, long sequence) =>
        NameBased($"throttle/{tenantId}/{scope.Kind.Name()}/{scope.Value}/{period}/{sequence}");

    public static Guid NameBased(string name)
    {
        Span<byte> input = stackalloc byte[16 + Encoding.UTF8.GetMaxByteCount(name.Length)];
        MeteringNamespace.TryWriteBytes(input, bigEndian: true, out _);
        var length = 16 + Encoding.UTF8.GetBytes(name, input[16..]);

        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
#pragma warning disable CA5350 // SHA-1 is what RFC 9562 prescribes for version 5 UUIDs; this is naming, not security.
        SHA1.HashData(input[..length], hash);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
