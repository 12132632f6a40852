using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Metering.Ledger.Migrations
{
    /// <inheritdoc />
    public partial class MinuteUsage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "minute_usage",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "text", nullable: false),
                    cycle = table.Column<DateOnly>(type: "date", nullable: false),
                    minute = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    provider = table.Column<string>(type: "text", nullable: false),
                    model = table.Column<string>(type: "text", nullable: false),
                    service = table.Column<string>(type: "text", nullable: false),
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
                    table.PrimaryKey("pk_minute_usage", x => new { x.tenant_id, x.cycle, x.minute, x.provider, x.model, x.service });
                });

            migrationBuilder.CreateIndex(
                name: "ix_minute_usage_minute",
                table: "minute_usage",
                column: "minute");

            // The projection's history so far, from the hourly rollup: each hour as its first minute. Until a window
            // no longer reaches back before the upgrade, it is as coarse as the hours were; from then on it is exact.
            migrationBuilder.Sql(
                """
                INSERT INTO minute_usage (tenant_id, cycle, minute, provider, model, service, events, cache_read_tokens,
                    cache_read_over_cap_tokens, cache_write_tokens, input_tokens, output_tokens, cost, last_event_at)
                SELECT tenant_id, cycle, hour, provider, model, service, events, cache_read_tokens, cache_read_over_cap_tokens,
                    cache_write_tokens, input_tokens, output_tokens, cost, least(hour + interval '1 hour' - interval '1 microsecond', now())
                FROM hourly_usage WHERE hour >= now() - interval '32 days'
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "minute_usage");
        }
    }
}
