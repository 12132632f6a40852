using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Metering.Ledger.Migrations
{
    /// <inheritdoc />
    public partial class CommunityCatalog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "matched_by",
                table: "ledger_entries",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "reasoning_tokens",
                table: "ledger_entries",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "reasoning_tokens",
                table: "cycle_model_totals",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<decimal>(
                name: "reasoning_per_million",
                table: "catalog_prices",
                type: "numeric",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "source",
                table: "catalog_prices",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "terms",
                table: "catalog_prices",
                type: "jsonb",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "catalog_provider_fallbacks",
                columns: table => new
                {
                    provider = table.Column<string>(type: "text", nullable: false),
                    fallbacks = table.Column<List<string>>(type: "text[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_catalog_provider_fallbacks", x => x.provider);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "catalog_provider_fallbacks");

            migrationBuilder.DropColumn(
                name: "matched_by",
                table: "ledger_entries");

            migrationBuilder.DropColumn(
                name: "reasoning_tokens",
                table: "ledger_entries");

            migrationBuilder.DropColumn(
                name: "reasoning_tokens",
                table: "cycle_model_totals");

            migrationBuilder.DropColumn(
                name: "reasoning_per_million",
                table: "catalog_prices");

            migrationBuilder.DropColumn(
                name: "source",
                table: "catalog_prices");

            migrationBuilder.DropColumn(
                name: "terms",
                table: "catalog_prices");
        }
    }
}
