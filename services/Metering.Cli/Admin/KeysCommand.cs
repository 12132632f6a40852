using System.CommandLine;
using Metering.Ledger.Access;
using Metering.Ledger.Model;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Metering.Cli.Admin;

/// <summary><c>metering keys create|revoke|list</c>: API keys for the ledger API (SPEC §9). Only their hashes are stored.</summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var connection = LedgerConnection.Option();
        var role = new Option<ApiRole>("--role") { Description = "admin, billing, tenant or ingest (sends usage to POST /v1/events and /v1/traces only).", Required = true };
        var tenant = new Option<string?>("--tenant") { Description = "The tenant a tenant key may read, or an ingest key may write (an ingest key without one writes every tenant)." };
        var name = new Option<string>("--name") { Description = "Who the key is for.", DefaultValueFactory = _ => "unnamed" };
        var create = new Command("create", "Create a key and print it; it is shown this once and stored only as a hash.") { connection, role, tenant, name };
        create.SetAction((parse, cancellation) => RunAsync(parse, connection, async keys =>
        {
            var (key, secret) = await keys.CreateAsync(parse.GetValue(name)!, parse.GetValue(role), parse.GetValue(tenant), cancellation);
            Console.WriteLine(secret);
            await Console.Error.WriteLineAsync($"created {key.Role.ToString().ToLowerInvariant()} key {key.Id}{(key.TenantId is null ? "" : $" for tenant {key.TenantId}")}; store it now, it cannot be shown again");
            return 0;
        }));

        var id = new Argument<Guid>("id") { Description = "The key's id, from `keys list` or `keys create`." };
        var revoke = new Command("revoke", "Revoke a key; the API refuses it from then on.") { connection, id };
        revoke.SetAction((parse, cancellation) => RunAsync(parse, connection, async keys =>
        {
            if (await keys.RevokeAsync(parse.GetValue(id), cancellation))
            {
                await Console.Error.WriteLineAsync($"revoked key {parse.GetValue(id)}");
                return 0;
            }

            await Console.Error.WriteLineAsync($"no live key {parse.GetValue(id)}");
            return 1;
        }));

        var list = new Command("list", "List the keys: id, role, tenant, name, prefix, created, revoked.") { connection };
        list.SetAction((parse, cancellation) => RunAsync(parse, connection, async keys =>
        {
            foreach (var key in await keys.ListAsync(cancellation))
            {
                Console.WriteLine($"{key.Id}\t{key.Role.ToString().ToLowerInvariant()}\t{key.TenantId ?? "-"}\t{key.Name}\t{key.Prefix}…\t{key.CreatedAt:O}\t{(key.RevokedAt is { } at ? "revoked " + at.ToString("O") : "live")}");
            }

            return 0;
        }));

        return new Command("keys", "Manage API keys.") { create, revoke, list };
    }

    private static async Task<int> RunAsync(ParseResult parse, Option<string?> connection, Func<ApiKeys, Task<int>> action)
    {
        try
        {
            await using var services = LedgerConnection.Services(parse, connection);
            return await action(services.GetRequiredService<ApiKeys>());
        }
        catch (Exception e) when (e is InvalidOperationException or NpgsqlException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"metering keys: {e.Message}");
            return 1;
        }
    }
}
