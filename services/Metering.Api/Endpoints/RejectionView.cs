using System.Text;
using Metering.Ledger.Model;

namespace Metering.Api.Endpoints;

public sealed record RejectionView(
    long Id, DateTimeOffset ReceivedAt, string Code, string Message, string? EventId, string? TenantId, int Position,
    string Raw, int RawLength, DateTimeOffset? RedrivenAt, string? RedriveOutcome, long? LedgerEntryId)
{
    public static RejectionView Of(RejectedEvent r) => new(
        r.Id, r.ReceivedAt, r.Code, r.Message, r.EventId, r.TenantId, r.Position,
        Encoding.UTF8.GetString(r.Raw, 0, Math.Min(r.Raw.Length, MaxRawShown)), r.Raw.Length, r.RedrivenAt, r.RedriveOutcome, r.LedgerEntryId);

    private const int MaxRawShown = 64 * 1024;
}
