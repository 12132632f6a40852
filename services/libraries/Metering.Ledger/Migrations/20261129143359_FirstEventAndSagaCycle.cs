using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Metering.Ledger.Migrations
{
    /// <inheritdoc />
    public partial class FirstEventAndSagaCycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<DateOnly>(
                name: "cycle",
                table: "throttle_states",
                type: "date",
                nullable: true,
                oldClrType: typeof(DateOnly),
                oldType: "date");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "first_event_at",
                table: "cycle_states",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "first_event_at",
                table: "cycle_states");

            migrationBuilder.AlterColumn<DateOnly>(
                name: "cycle",
                table: "throttle_states",
                type: "date",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1),
                oldClrType: typeof(DateOnly),
                oldType: "date",
                oldNullable: true);
        }
    }
}
