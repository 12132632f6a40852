using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Metering.Ledger.Migrations
{
    /// <inheritdoc />
    public partial class ScopedBudgets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_throttle_commands_tenant_id_sequence",
                table: "throttle_commands");

            migrationBuilder.AddColumn<string>(
                name: "period",
                table: "throttle_commands",
                type: "text",
                nullable: false,
                defaultValue: "cycle");

            migrationBuilder.AddColumn<string>(
                name: "scope_kind",
                table: "throttle_commands",
                type: "text",
                nullable: false,
                defaultValue: "tenant");

            migrationBuilder.AddColumn<string>(
                name: "scope_value",
                table: "throttle_commands",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<List<string>>(
                name: "budget_attributes",
                table: "tenants",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'");

            migrationBuilder.CreateTable(
                name: "attribute_minute_usage",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "text", nullable: false),
                    cycle = table.Column<DateOnly>(type: "date", nullable: false),
                    minute = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    provider = table.Column<string>(type: "text", nullable: false),
                    model = table.Column<string>(type: "text", nullable: false),
                    attribute_key = table.Column<string>(type: "text", nullable: false),
                    attribute_value = table.Column<string>(type: "text", nullable: false),
                    events = table.Column<long>(type: "bigint", nullable: false),
                    cache_read_tokens = table.Column<long>(type: "bigint", nullable: false),
                    cache_read_over_cap_tokens = table.Column<long>(type: "bigint", nullable: false),
                    cache_write_tokens = table.Column<long>(type: "bigint", nullable: false),
                    input_tokens = table.Column<long>(type: "bigint", nullable: false),
                    output_tokens = table.Column<long>(type: "bigint", nullable: false),
                    cost = table.Column<decimal>(type: "numeric", nullable: false),
                    last_event_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_attribute_minute_usage", x => new { x.tenant_id, x.cycle, x.minute, x.provider, x.model, x.attribute_key, x.attribute_value });
                });

            migrationBuilder.CreateTable(
                name: "scope_budgets",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<string>(type: "text", nullable: false),
                    scope_kind = table.Column<string>(type: "text", nullable: false),
                    scope_value = table.Column<string>(type: "text", nullable: false),
                    period = table.Column<string>(type: "text", nullable: false),
                    amount = table.Column<decimal>(type: "numeric", nullable: false),
                    warn_at = table.Column<decimal>(type: "numeric", nullable: false),
                    slowdown_at = table.Column<decimal>(type: "numeric", nullable: false),
                    block_at = table.Column<decimal>(type: "numeric", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_scope_budgets", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "scope_throttle_states",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "text", nullable: false),
                    scope_kind = table.Column<string>(type: "text", nullable: false),
                    scope_value = table.Column<string>(type: "text", nullable: false),
                    period = table.Column<string>(type: "text", nullable: false),
                    period_start = table.Column<DateOnly>(type: "date", nullable: true),
                    level = table.Column<string>(type: "text", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    spend_to_date = table.Column<decimal>(type: "numeric", nullable: false),
                    projected_spend = table.Column<decimal>(type: "numeric", nullable: false),
                    budget = table.Column<decimal>(type: "numeric", nullable: true),
                    evaluated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_command = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_scope_throttle_states", x => new { x.tenant_id, x.scope_kind, x.scope_value, x.period });
                });

            migrationBuilder.CreateIndex(
                name: "ix_throttle_commands_tenant_id_scope_kind_scope_value_sequence",
                table: "throttle_commands",
                columns: new[] { "tenant_id", "scope_kind", "scope_value", "sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_attribute_minute_usage_minute",
                table: "attribute_minute_usage",
                column: "minute");

            migrationBuilder.CreateIndex(
                name: "ix_scope_budgets_tenant_id_scope_kind_scope_value_period",
                table: "scope_budgets",
                columns: new[] { "tenant_id", "scope_kind", "scope_value", "period" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "attribute_minute_usage");

            migrationBuilder.DropTable(
                name: "scope_budgets");

            migrationBuilder.DropTable(
                name: "scope_throttle_states");

            migrationBuilder.DropIndex(
                name: "ix_throttle_commands_tenant_id_scope_kind_scope_value_sequence",
                table: "throttle_commands");

            migrationBuilder.DropColumn(
                name: "period",
                table: "throttle_commands");

            migrationBuilder.DropColumn(
                name: "scope_kind",
                table: "throttle_commands");

            migrationBuilder.DropColumn(
                name: "scope_value",
                table: "throttle_commands");

            migrationBuilder.DropColumn(
                name: "budget_attributes",
                table: "tenants");

            migrationBuilder.CreateIndex(
                name: "ix_throttle_commands_tenant_id_sequence",
                table: "throttle_commands",
                columns: new[] { "tenant_id", "sequence" },
                unique: true);
        }
    }
}
