using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Metering.Ledger.Migrations
{
    /// <inheritdoc />
    public partial class AccessBudgetsThrottlesAndModelTotals : Migration
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
                name: "throttle_commands",
                columns: table => new
                {
                    command_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<string>(type: "text", nullable: false),
                    cycle = table.Column<DateOnly>(type: "date", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    level = table.Column<string>(type: "text", nullable: false),
                    body = table.Column<string>(type: "jsonb", nullable: false),
                    issued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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
                    cycle = table.Column<DateOnly>(type: "date", nullable: false),
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

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_key_hash",
                table: "api_keys",
                column: "key_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_throttle_commands_issued_at",
                table: "throttle_commands",
                column: "issued_at",
                filter: "published_at IS NULL");

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
                name: "cycle_model_totals");

            migrationBuilder.DropTable(
                name: "tenant_budgets");

            migrationBuilder.DropTable(
                name: "throttle_commands");

            migrationBuilder.DropTable(
                name: "throttle_states");
        }
    }
}
