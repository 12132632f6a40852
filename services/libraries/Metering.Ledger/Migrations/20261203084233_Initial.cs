using System;
using System.Collections.Generic;
using Metering.Ledger.Model;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Metering.Ledger.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    role = table.Column<string>(type: "text", nullable: false),
                    tenant_id = table.Column<string>(type: "text", nullable: true),
                    key_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    prefix = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "catalog_prices",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    provider = table.Column<string>(type: "text", nullable: false),
                    model = table.Column<string>(type: "text", nullable: false),
                    effective_from = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    input_per_million = table.Column<decimal>(type: "numeric", nullable: false),
                    output_per_million = table.Column<decimal>(type: "numeric", nullable: false),
                    cache_read_per_million = table.Column<decimal>(type: "numeric", nullable: true),
                    cache_read_cap_tokens = table.Column<long>(type: "bigint", nullable: true),
                    cache_write_per_million = table.Column<decimal>(type: "numeric", nullable: true),
                    bills_reserved_output = table.Column<bool>(type: "boolean", nullable: false),
                    tier_schedule = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_catalog_prices", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "catalog_revision",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    revision = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_catalog_revision", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "catalog_tier_schedules",
                columns: table => new
                {
                    name = table.Column<string>(type: "text", nullable: false),
                    steps = table.Column<List<CatalogTierStep>>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_catalog_tier_schedules", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "cycle_counters",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "text", nullable: false),
                    cycle = table.Column<DateOnly>(type: "date", nullable: false),
                    provider = table.Column<string>(type: "text", nullable: false),
                    billed_tokens = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cycle_counters", x => new { x.tenant_id, x.cycle, x.provider });
                });

            migrationBuilder.CreateTable(
                name: "cycle_model_totals",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "text", nullable: false),
                    cycle = table.Column<DateOnly>(type: "date", nullable: false),
                    provider = table.Column<string>(type: "text", nullable: false),
                    model = table.Column<string>(type: "text", nullable: false),
                    events = table.Column<long>(type: "bigint", nullable: false),
                    prompt_tokens = table.Column<long>(type: "bigint", nullable: false),
                    completion_tokens = table.Column<long>(type: "bigint", nullable: false),
                    cached_tokens = table.Column<long>(type: "bigint", nullable: false),
                    billed_tokens = table.Column<long>(type: "bigint", nullable: false),
                    reserved_output_waste = table.Column<long>(type: "bigint", nullable: false),
                    reserved_output_waste_cost = table.Column<decimal>(type: "numeric", nullable: false),
                    cost = table.Column<decimal>(type: "numeric", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cycle_model_totals", x => new { x.tenant_id, x.cycle, x.provider, x.model });
                });

            migrationBuilder.CreateTable(
                name: "cycle_rollups",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "text", nullable: false),
                    cycle = table.Column<DateOnly>(type: "date", nullable: false),
                    provider = table.Column<string>(type: "text", nullable: false),
                    model = table.Column<string>(type: "text", nullable: false),
                    bucket = table.Column<string>(type: "text", nullable: false),
                    tier = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false),
                    rate_per_million = table.Column<decimal>(type: "numeric", nullable: false),
                    discount = table.Column<decimal>(type: "numeric", nullable: false),
                    tokens = table.Column<long>(type: "bigint", nullable: false),
                    amount = table.Column<decimal>(type: "numeric", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cycle_rollups", x => new { x.tenant_id, x.cycle, x.provider, x.model, x.bucket, x.tier, x.rate_per_million, x.kind });
                });

            migrationBuilder.CreateTable(
                name: "cycle_states",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "text", nullable: false),
                    cycle = table.Column<DateOnly>(type: "date", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    events = table.Column<long>(type: "bigint", nullable: false),
                    cost = table.Column<decimal>(type: "numeric", nullable: false),
                    reversals = table.Column<long>(type: "bigint", nullable: false),
                    first_event_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cycle_states", x => new { x.tenant_id, x.cycle });
                });

            migrationBuilder.CreateTable(
                name: "event_keys",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    event_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false, collation: "C"),
                    batch_id = table.Column<Guid>(type: "uuid", nullable: false),
                    entry_id = table.Column<long>(type: "bigint", nullable: false),
                    claimed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_event_keys", x => new { x.tenant_id, x.event_id });
                });

            migrationBuilder.CreateTable(
                name: "hourly_usage",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "text", nullable: false),
                    cycle = table.Column<DateOnly>(type: "date", nullable: false),
                    hour = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    provider = table.Column<string>(type: "text", nullable: false),
                    model = table.Column<string>(type: "text", nullable: false),
                    service = table.Column<string>(type: "text", nullable: false),
                    events = table.Column<long>(type: "bigint", nullable: false),
                    prompt_tokens = table.Column<long>(type: "bigint", nullable: false),
                    completion_tokens = table.Column<long>(type: "bigint", nullable: false),
                    cached_tokens = table.Column<long>(type: "bigint", nullable: false),
                    cache_read_tokens = table.Column<long>(type: "bigint", nullable: false),
                    cache_read_over_cap_tokens = table.Column<long>(type: "bigint", nullable: false),
                    cache_write_tokens = table.Column<long>(type: "bigint", nullable: false),
                    input_tokens = table.Column<long>(type: "bigint", nullable: false),
                    output_tokens = table.Column<long>(type: "bigint", nullable: false),
                    reserved_output_waste = table.Column<long>(type: "bigint", nullable: false),
                    reserved_output_waste_cost = table.Column<decimal>(type: "numeric", nullable: false),
                    cost = table.Column<decimal>(type: "numeric", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_hourly_usage", x => new { x.tenant_id, x.cycle, x.hour, x.provider, x.model, x.service });
                });

            migrationBuilder.CreateTable(
                name: "ledger_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    event_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false, collation: "C"),
                    kind = table.Column<string>(type: "text", nullable: false),
                    reverses_id = table.Column<long>(type: "bigint", nullable: true),
                    cycle = table.Column<DateOnly>(type: "date", nullable: false),
                    provider = table.Column<string>(type: "text", nullable: false),
                    model = table.Column<string>(type: "text", nullable: false),
                    service = table.Column<string>(type: "text", nullable: true),
                    request_id = table.Column<string>(type: "text", nullable: true),
                    attributes = table.Column<Dictionary<string, string>>(type: "json", nullable: true),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    priced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    prompt_tokens = table.Column<long>(type: "bigint", nullable: false),
                    completion_tokens = table.Column<long>(type: "bigint", nullable: false),
                    cached_tokens = table.Column<long>(type: "bigint", nullable: false),
                    cache_write_tokens = table.Column<long>(type: "bigint", nullable: false),
                    max_tokens = table.Column<long>(type: "bigint", nullable: true),
                    billed_tokens = table.Column<long>(type: "bigint", nullable: false),
                    billed_output_tokens = table.Column<long>(type: "bigint", nullable: false),
                    reserved_output_waste = table.Column<long>(type: "bigint", nullable: false),
                    reserved_output_waste_cost = table.Column<decimal>(type: "numeric", nullable: false),
                    tier_position_before = table.Column<long>(type: "bigint", nullable: false),
                    price_entry_id = table.Column<string>(type: "text", nullable: false),
                    tier_schedule = table.Column<string>(type: "text", nullable: false),
                    cost = table.Column<decimal>(type: "numeric", nullable: false),
                    charges = table.Column<List<LedgerCharge>>(type: "json", nullable: false),
                    reason = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ledger_entries", x => new { x.tenant_id, x.id });
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_type = table.Column<string>(type: "text", nullable: false),
                    body = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    batch_id = table.Column<Guid>(type: "uuid", nullable: true),
                    tenant_id = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "rejected_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    code = table.Column<string>(type: "text", nullable: false),
                    message = table.Column<string>(type: "text", nullable: false),
                    raw = table.Column<byte[]>(type: "bytea", nullable: false),
                    body_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    event_id = table.Column<string>(type: "text", nullable: true),
                    tenant_id = table.Column<string>(type: "text", nullable: true),
                    redriven_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    redrive_outcome = table.Column<string>(type: "text", nullable: true),
                    ledger_entry_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_rejected_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "tenant_budgets",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "text", nullable: false),
                    amount = table.Column<decimal>(type: "numeric", nullable: false),
                    warn_at = table.Column<decimal>(type: "numeric", nullable: false),
                    slowdown_at = table.Column<decimal>(type: "numeric", nullable: false),
                    block_at = table.Column<decimal>(type: "numeric", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tenant_budgets", x => x.tenant_id);
                });

            migrationBuilder.CreateTable(
                name: "tenants",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    cycle_anchor_day = table.Column<int>(type: "integer", nullable: false),
                    tier_schedules = table.Column<Dictionary<string, string>>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    configured_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tenants", x => x.tenant_id);
                });

            migrationBuilder.CreateTable(
                name: "throttle_commands",
                columns: table => new
                {
                    command_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<string>(type: "text", nullable: false),
                    cycle = table.Column<DateOnly>(type: "date", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    level = table.Column<string>(type: "text", nullable: false),
                    body = table.Column<string>(type: "jsonb", nullable: false),
                    issued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_throttle_commands", x => x.command_id);
                });

            migrationBuilder.CreateTable(
                name: "throttle_states",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "text", nullable: false),
                    cycle = table.Column<DateOnly>(type: "date", nullable: true),
                    level = table.Column<string>(type: "text", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    spend_to_date = table.Column<decimal>(type: "numeric", nullable: false),
                    projected_spend = table.Column<decimal>(type: "numeric", nullable: false),
                    budget = table.Column<decimal>(type: "numeric", nullable: true),
                    spend_version = table.Column<long>(type: "bigint", nullable: false),
                    evaluated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_command = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_throttle_states", x => x.tenant_id);
                });

            migrationBuilder.InsertData(
                table: "catalog_revision",
                columns: new[] { "id", "revision" },
                values: new object[] { 1, 0L });

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_key_hash",
                table: "api_keys",
                column: "key_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_catalog_prices_provider_model_effective_from",
                table: "catalog_prices",
                columns: new[] { "provider", "model", "effective_from" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_hourly_usage_hour",
                table: "hourly_usage",
                column: "hour");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_entries_tenant_id_reverses_id",
                table: "ledger_entries",
                columns: new[] { "tenant_id", "reverses_id" },
                unique: true,
                filter: "reverses_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_batch_id",
                table: "outbox_messages",
                column: "batch_id",
                filter: "batch_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_created_at",
                table: "outbox_messages",
                column: "created_at",
                filter: "published_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_published_at",
                table: "outbox_messages",
                column: "published_at",
                filter: "published_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_rejected_events_body_hash_position",
                table: "rejected_events",
                columns: new[] { "body_hash", "position" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_rejected_events_received_at",
                table: "rejected_events",
                column: "received_at");

            migrationBuilder.CreateIndex(
                name: "ix_rejected_events_tenant_id_id",
                table: "rejected_events",
                columns: new[] { "tenant_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_throttle_commands_tenant_id_sequence",
                table: "throttle_commands",
                columns: new[] { "tenant_id", "sequence" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropTable(
                name: "catalog_prices");

            migrationBuilder.DropTable(
                name: "catalog_revision");

            migrationBuilder.DropTable(
                name: "catalog_tier_schedules");

            migrationBuilder.DropTable(
                name: "cycle_counters");

            migrationBuilder.DropTable(
                name: "cycle_model_totals");

            migrationBuilder.DropTable(
                name: "cycle_rollups");

            migrationBuilder.DropTable(
                name: "cycle_states");

            migrationBuilder.DropTable(
                name: "event_keys");

            migrationBuilder.DropTable(
                name: "hourly_usage");

            migrationBuilder.DropTable(
                name: "ledger_entries");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "rejected_events");

            migrationBuilder.DropTable(
                name: "tenant_budgets");

            migrationBuilder.DropTable(
                name: "tenants");

            migrationBuilder.DropTable(
                name: "throttle_commands");

            migrationBuilder.DropTable(
                name: "throttle_states");
        }
    }
}
