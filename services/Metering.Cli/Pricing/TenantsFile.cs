using System.Text.Json;
using Metering.Pricing;
using Metering.Pricing.Catalog;

namespace Metering.Cli.Pricing;

/// <summary>The <c>--tenants</c> file: anchor days and tier schedule overrides per tenant.</summary>
internal static class TenantsFile
{
    public static IReadOnlyDictionary<string, TenantSettings> None { get; } = new Dictionary<string, TenantSettings>();

    public static IReadOnlyDictionary<string, TenantSettings> Read(FileInfo file, PriceCatalog catalog)
    {
        Document? document;
        try
        {
            using var stream = file.OpenRead();
            document = JsonSerializer.Deserialize<Document>(stream, JsonSerializerOptions.Web);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{file.Name} is not a readable tenants file at {e.Path}: {e.Message}", e);
        }

        var tenants = new Dictionary<string, TenantSettings>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var tenant in document?.Tenants ?? [])
        {
            if (string.IsNullOrEmpty(tenant.TenantId))
            {
                problems.Add("a tenant has no tenantId");
                continue;
            }

            var settings = new TenantSettings
            {
                TenantId = tenant.TenantId,
                CycleAnchorDay = tenant.CycleAnchorDay ?? 1,
                TierScheduleOverrides = tenant.TierSchedules ?? [],
            };
            problems.AddRange(catalog.ProblemsWith(settings));
            tenants[tenant.TenantId] = settings;
        }

        return problems.Count == 0 ? tenants : throw new FormatException($"{file.Name}: {string.Join("; ", problems)}");
    }

    private sealed record Document(List<TenantDocument>? Tenants);

    private sealed record TenantDocument(string? TenantId, int? CycleAnchorDay, Dictionary<string, string>? TierSchedules);
}
