using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Metering.Ledger.Migrations
{
    /// <inheritdoc />
    public partial class LedgerKeyByTenant : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_ledger_entries",
                table: "ledger_entries");

            migrationBuilder.DropIndex(
                name: "ix_ledger_entries_tenant_id_id",
                table: "ledger_entries");

            migrationBuilder.AddPrimaryKey(
                name: "pk_ledger_entries",
                table: "ledger_entries",
                columns: new[] { "tenant_id", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_ledger_entries",
                table: "ledger_entries");

            migrationBuilder.AddPrimaryKey(
                name: "pk_ledger_entries",
                table: "ledger_entries",
                column: "id");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_entries_tenant_id_id",
                table: "ledger_entries",
                columns: new[] { "tenant_id", "id" });
        }
    }
}
