using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Metering.Ledger.Migrations
{
    /// <summary>
    /// <c>ledger_entries</c> partitioned by cycle (SPEC §16): one range partition per calendar month of cycle starts
    /// (<c>ledger_entries_2026_11</c> holds every cycle that starts in November 2026, whatever the tenant's anchor day),
    /// and a default partition that takes an entry whose month has no partition yet, so no insert ever fails for want
    /// of one. <c>ledger_ensure_partitions(from, to)</c> creates the months of a range — moving the rows the default
    /// partition holds for a month into it, when there are any — and is called here for the data and the next three
    /// months, then by the worker ahead of time (<c>LedgerPartitions</c>). The rows are copied, the id sequence keeps
    /// its name and its position (the metering transaction draws ids from it), and uniqueness per tenant stays where it
    /// is, in <c>event_keys</c>, whichever partition an entry lands in.
    /// </summary>
    public partial class PartitionedLedger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                """
                ALTER TABLE ledger_entries RENAME TO ledger_entries_unpartitioned;
                ALTER TABLE ledger_entries_unpartitioned RENAME CONSTRAINT pk_ledger_entries TO pk_ledger_entries_unpartitioned;
                ALTER INDEX ix_ledger_entries_tenant_id_reverses_id RENAME TO ix_ledger_entries_unpartitioned_reverses_id;
                ALTER SEQUENCE ledger_entries_id_seq RENAME TO ledger_entries_unpartitioned_id_seq;

                CREATE TABLE ledger_entries (LIKE ledger_entries_unpartitioned INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING STORAGE)
                    PARTITION BY RANGE (cycle);
                ALTER TABLE ledger_entries ADD CONSTRAINT pk_ledger_entries PRIMARY KEY (tenant_id, id, cycle);
                CREATE UNIQUE INDEX ix_ledger_entries_tenant_id_reverses_id_cycle ON ledger_entries (tenant_id, reverses_id, cycle)
                    WHERE reverses_id IS NOT NULL;
                SELECT setval('ledger_entries_id_seq', s.last_value, s.is_called) FROM ledger_entries_unpartitioned_id_seq s;
                CREATE TABLE ledger_entries_default PARTITION OF ledger_entries DEFAULT;

                CREATE FUNCTION ledger_ensure_partitions(from_cycle date, to_cycle date) RETURNS integer LANGUAGE plpgsql AS $fn$
                DECLARE
                    month date := date_trunc('month', from_cycle)::date;
                    next_month date;
                    name text;
                    created integer := 0;
                BEGIN
                    -- one caller at a time: two workers creating the same month would collide
                    PERFORM pg_advisory_xact_lock(hashtext('ledger_ensure_partitions'));
                    WHILE month <= to_cycle LOOP
                        next_month := (month + interval '1 month')::date;
                        name := format('ledger_entries_%s', to_char(month, 'YYYY_MM'));
                        IF to_regclass(name) IS NULL THEN
                            IF EXISTS (SELECT 1 FROM ledger_entries_default WHERE cycle >= month AND cycle < next_month) THEN
                                -- entries that came before their month's partition: moved into it, then it is attached
                                EXECUTE format('CREATE TABLE %I (LIKE ledger_entries INCLUDING DEFAULTS INCLUDING STORAGE)', name);
                                EXECUTE format(
                                    'WITH moved AS (DELETE FROM ledger_entries_default WHERE cycle >= %L AND cycle < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
                                    month, next_month, name);
                                EXECUTE format('ALTER TABLE ledger_entries ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', name, month, next_month);
                            ELSE
                                EXECUTE format('CREATE TABLE %I PARTITION OF ledger_entries FOR VALUES FROM (%L) TO (%L)', name, month, next_month);
                            END IF;
                            created := created + 1;
                        END IF;
                        month := next_month;
                    END LOOP;
                    RETURN created;
                END
                $fn$;

                SELECT ledger_ensure_partitions(least(min(cycle), current_date), greatest(max(cycle), current_date + 92)) FROM ledger_entries_unpartitioned;
                INSERT INTO ledger_entries SELECT * FROM ledger_entries_unpartitioned;
                DROP TABLE ledger_entries_unpartitioned;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                """
                ALTER TABLE ledger_entries RENAME TO ledger_entries_partitioned;
                ALTER TABLE ledger_entries_partitioned RENAME CONSTRAINT pk_ledger_entries TO pk_ledger_entries_partitioned;
                ALTER INDEX ix_ledger_entries_tenant_id_reverses_id_cycle RENAME TO ix_ledger_entries_partitioned_reverses_id;
                ALTER SEQUENCE ledger_entries_id_seq RENAME TO ledger_entries_partitioned_id_seq;

                CREATE TABLE ledger_entries (LIKE ledger_entries_partitioned INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING STORAGE);
                ALTER TABLE ledger_entries ADD CONSTRAINT pk_ledger_entries PRIMARY KEY (tenant_id, id);
                CREATE UNIQUE INDEX ix_ledger_entries_tenant_id_reverses_id ON ledger_entries (tenant_id, reverses_id) WHERE reverses_id IS NOT NULL;
                SELECT setval('ledger_entries_id_seq', s.last_value, s.is_called) FROM ledger_entries_partitioned_id_seq s;
                INSERT INTO ledger_entries SELECT * FROM ledger_entries_partitioned;
                DROP TABLE ledger_entries_partitioned;
                DROP FUNCTION ledger_ensure_partitions(date, date);
                """);
        }
    }
}
