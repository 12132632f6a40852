using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Metering.Ledger.Migrations
{
    /// <inheritdoc />
    public partial class ChargesAsApiJson : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Charges written before this version hold money as JSON numbers; the API serves them as decimal strings
            // and passes the stored JSON through, so rewrite the old ones in that form.
            migrationBuilder.Sql(
                """
                UPDATE ledger_entries SET charges = (
                    SELECT coalesce(json_agg(json_build_object(
                        'kind', c->>'kind', 'tier', (c->>'tier')::int, 'tokens', (c->>'tokens')::bigint,
                        'discount', c->>'discount', 'ratePerMillion', c->>'ratePerMillion', 'amount', c->>'amount')), '[]'::json)
                    FROM json_array_elements(charges) AS c)
                WHERE charges::text ~ '"amount": ?[0-9]'
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
