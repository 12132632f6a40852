using System.Collections.Generic;
using Metering.Ledger.Model;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Metering.Ledger.Migrations
{
    /// <inheritdoc />
    public partial class LedgerWriteCost : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_ledger_entries_tenant_id_cycle_id",
                table: "ledger_entries");

            migrationBuilder.AlterColumn<string>(
                name: "tenant_id",
                table: "ledger_entries",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                collation: "C",
                oldClrType: typeof(string),
                oldType: "character varying(64)",
                oldMaxLength: 64);

            migrationBuilder.AlterColumn<string>(
                name: "event_id",
                table: "ledger_entries",
                type: "character varying(128)",
                maxLength: 128,
                nullable: false,
                collation: "C",
                oldClrType: typeof(string),
                oldType: "character varying(128)",
                oldMaxLength: 128);

            migrationBuilder.AlterColumn<List<LedgerCharge>>(
                name: "charges",
                table: "ledger_entries",
                type: "json",
                nullable: false,
                oldClrType: typeof(List<LedgerCharge>),
                oldType: "jsonb");

            migrationBuilder.AlterColumn<Dictionary<string, string>>(
                name: "attributes",
                table: "ledger_entries",
                type: "json",
                nullable: true,
                oldClrType: typeof(Dictionary<string, string>),
                oldType: "jsonb",
                oldNullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "tenant_id",
                table: "ledger_entries",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(64)",
                oldMaxLength: 64,
                oldCollation: "C");

            migrationBuilder.AlterColumn<string>(
                name: "event_id",
                table: "ledger_entries",
                type: "character varying(128)",
                maxLength: 128,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(128)",
                oldMaxLength: 128,
                oldCollation: "C");

            migrationBuilder.AlterColumn<List<LedgerCharge>>(
                name: "charges",
                table: "ledger_entries",
                type: "jsonb",
                nullable: false,
                oldClrType: typeof(List<LedgerCharge>),
                oldType: "json");

            migrationBuilder.AlterColumn<Dictionary<string, string>>(
                name: "attributes",
                table: "ledger_entries",
                type: "jsonb",
                nullable: true,
                oldClrType: typeof(Dictionary<string, string>),
                oldType: "json",
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_ledger_entries_tenant_id_cycle_id",
                table: "ledger_entries",
                columns: new[] { "tenant_id", "cycle", "id" });
        }
    }
}
