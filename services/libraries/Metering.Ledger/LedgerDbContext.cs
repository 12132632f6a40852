using Metering.Ledger.Model;
using Microsoft.EntityFrameworkCore;

namespace Metering.Ledger;

/// <summary>
/// The ledger's schema. EF Core owns the model and the migrations; the metering transaction (<c>Writing/</c>) writes
/// the same tables with plain Npgsql.
/// </summary>
public sealed class LedgerDbContext(DbContextOptions<LedgerDbContext> options) : DbContext(options)
{
    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();

    public DbSet<EventKey> EventKeys => Set<EventKey>();

    public DbSet<CycleState> CycleStates => Set<CycleState>();

    public DbSet<CycleCounter> CycleCounters => Set<CycleCounter>();

    public DbSet<CycleRollup> CycleRollups => Set<CycleRollup>();

    public DbSet<CycleModelTotals> CycleModelTotals => Set<CycleModelTotals>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<TenantBudget> TenantBudgets => Set<TenantBudget>();

    public DbSet<ThrottleState> ThrottleStates => Set<ThrottleState>();

    public DbSet<ThrottleCommandRecord> ThrottleCommands => Set<ThrottleCommandRecord>();

    public DbSet<ScopeBudget> ScopeBudgets => Set<ScopeBudget>();

    public DbSet<ScopeThrottleState> ScopeThrottleStates => Set<ScopeThrottleState>();

    public DbSet<AttributeMinuteUsage> AttributeMinuteUsage => Set<AttributeMinuteUsage>();

    public DbSet<HourlyUsage> HourlyUsage => Set<HourlyUsage>();

    public DbSet<MinuteUsage> MinuteUsage => Set<MinuteUsage>();

    public DbSet<RejectedEvent> RejectedEvents => Set<RejectedEvent>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<Tenant> Tenants => Set<Tenant>();

    public DbSet<CatalogPrice> CatalogPrices => Set<CatalogPrice>();

    public DbSet<CatalogTierSchedule> CatalogTierSchedules => Set<CatalogTierSchedule>();

    public DbSet<CatalogRevision> CatalogRevisions => Set<CatalogRevision>();

    public DbSet<CatalogProviderFallback> CatalogProviderFallbacks => Set<CatalogProviderFallback>();

    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();

    public DbSet<WebhookEvent> WebhookEvents => Set<WebhookEvent>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Money is stored unrounded: numeric without a scale keeps every digit a decimal has.
        configurationBuilder.Properties<decimal>().HaveColumnType("numeric");
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<LedgerEntry>(entry =>
        {
            entry.ToTable("ledger_entries");

            // Partitioned by cycle (a range partition per calendar month of cycle starts, and a default partition for
            // anything that arrives before its partition: migration PartitionedLedger, LedgerPartitions), so the
            // key ends with the cycle, as a partitioned table's key must. It leads with the tenant: every read of a
            // ledger is one tenant's range in id order, and with no index on id alone the planner cannot wander into
            // one and filter a busy tenant's neighbours row by row.
            entry.HasKey(e => new { e.TenantId, e.Id, e.Cycle });
            // By default, not always: the metering transaction draws the ids itself (nextval) when it claims events,
            // so a claim names its entry before the entry is written.
            entry.Property(e => e.Id).UseIdentityByDefaultColumn();
            entry.Property(e => e.Kind).HasConversion(k => k.ToString().ToLowerInvariant(), s => Enum.Parse<EntryKind>(s, true));
            // Identifiers compare byte by byte, whatever the cluster's locale: cheaper unique-index inserts and lookups.
            entry.Property(e => e.TenantId).HasMaxLength(64).UseCollation("C");
            entry.Property(e => e.EventId).HasMaxLength(128).UseCollation("C");
            // json, not jsonb: never queried inside SQL, and json is validated rather than re-encoded, so the hot
            // path's COPY costs a third of what jsonb would.
            entry.Property(e => e.Attributes).HasColumnType("json");
            entry.Property(e => e.Charges).HasColumnType("json");

            // An event is billed once per tenant by its claim in event_keys, not by an index here (whatever partition
            // its occurredAt puts it in); a reversal shares its original's event id and cycle, and an entry is
            // reversed at most once.
            entry.HasIndex(e => new { e.TenantId, e.ReversesId, e.Cycle }).IsUnique().HasFilter("reverses_id IS NOT NULL");
        });

        modelBuilder.Entity<EventKey>(key =>
        {
            key.ToTable("event_keys");
            key.HasKey(k => new { k.TenantId, k.EventId });
            key.Property(k => k.TenantId).HasMaxLength(64).UseCollation("C");
            key.Property(k => k.EventId).HasMaxLength(128).UseCollation("C");
        });

        modelBuilder.Entity<CycleState>(state =>
        {
            state.ToTable("cycle_states");
            state.HasKey(s => new { s.TenantId, s.Cycle });
        });

        modelBuilder.Entity<CycleCounter>(counter =>
        {
            counter.ToTable("cycle_counters");
            counter.HasKey(c => new { c.TenantId, c.Cycle, c.Provider });
        });

        modelBuilder.Entity<CycleRollup>(rollup =>
        {
            rollup.ToTable("cycle_rollups");
            rollup.HasKey(r => new { r.TenantId, r.Cycle, r.Provider, r.Model, r.Bucket, r.Tier, r.RatePerMillion, r.Kind });
        });

        modelBuilder.Entity<CycleModelTotals>(totals =>
        {
            totals.ToTable("cycle_model_totals");
            totals.HasKey(t => new { t.TenantId, t.Cycle, t.Provider, t.Model });
        });

        modelBuilder.Entity<ApiKey>(key =>
        {
            key.ToTable("api_keys");
            key.Property(k => k.Role).HasConversion(r => r.ToString().ToLowerInvariant(), s => Enum.Parse<ApiRole>(s, true));
            key.HasIndex(k => k.KeyHash).IsUnique();
        });

        modelBuilder.Entity<TenantBudget>(budget =>
        {
            budget.ToTable("tenant_budgets");
            budget.HasKey(b => b.TenantId);
        });

        modelBuilder.Entity<ThrottleState>(state =>
        {
            state.ToTable("throttle_states");
            state.HasKey(s => s.TenantId);
            state.Property(s => s.LastCommand).HasColumnType("jsonb");
        });

        modelBuilder.Entity<ThrottleCommandRecord>(command =>
        {
            command.ToTable("throttle_commands");
            command.HasKey(c => c.CommandId);
            command.Property(c => c.Body).HasColumnType("jsonb");
            command.Property(c => c.ScopeKind).HasDefaultValue("tenant");
            command.Property(c => c.ScopeValue).HasDefaultValue(string.Empty);
            command.Property(c => c.Period).HasDefaultValue("cycle");
            command.HasIndex(c => new { c.TenantId, c.ScopeKind, c.ScopeValue, c.Sequence }).IsUnique();
        });

        modelBuilder.Entity<ScopeBudget>(budget =>
        {
            budget.ToTable("scope_budgets");
            budget.HasIndex(b => new { b.TenantId, b.ScopeKind, b.ScopeValue, b.Period }).IsUnique();
        });

        modelBuilder.Entity<ScopeThrottleState>(state =>
        {
            state.ToTable("scope_throttle_states");
            state.HasKey(s => new { s.TenantId, s.ScopeKind, s.ScopeValue, s.Period });
            state.Property(s => s.LastCommand).HasColumnType("jsonb");
        });

        modelBuilder.Entity<AttributeMinuteUsage>(minutes =>
        {
            minutes.ToTable("attribute_minute_usage");
            minutes.HasKey(m => new { m.TenantId, m.Cycle, m.Minute, m.Provider, m.Model, m.AttributeKey, m.AttributeValue });
            minutes.HasIndex(m => m.Minute);
        });

        modelBuilder.Entity<HourlyUsage>(hourly =>
        {
            hourly.ToTable("hourly_usage");
            hourly.HasKey(h => new { h.TenantId, h.Cycle, h.Hour, h.Provider, h.Model, h.Service });
            hourly.HasIndex(h => h.Hour);
        });

        modelBuilder.Entity<MinuteUsage>(minutes =>
        {
            minutes.ToTable("minute_usage");
            minutes.HasKey(m => new { m.TenantId, m.Cycle, m.Minute, m.Provider, m.Model, m.Service });
            minutes.HasIndex(m => m.Minute);
        });

        modelBuilder.Entity<RejectedEvent>(rejected =>
        {
            rejected.ToTable("rejected_events");
            rejected.Property(r => r.Id).UseIdentityAlwaysColumn();
            rejected.HasIndex(r => new { r.BodyHash, r.Position }).IsUnique();
            rejected.HasIndex(r => r.ReceivedAt);
            rejected.HasIndex(r => new { r.TenantId, r.Id });
        });

        modelBuilder.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable("outbox_messages");
            outbox.Property(o => o.Body).HasColumnType("jsonb");
            outbox.HasIndex(o => o.CreatedAt).HasFilter("published_at IS NULL");
            outbox.HasIndex(o => o.BatchId).HasFilter("batch_id IS NOT NULL");
            outbox.HasIndex(o => o.PublishedAt).HasFilter("published_at IS NOT NULL");
        });

        modelBuilder.Entity<Tenant>(tenant =>
        {
            tenant.ToTable("tenants");
            tenant.HasKey(t => t.TenantId);
            tenant.Property(t => t.TenantId).HasMaxLength(64);
            tenant.Property(t => t.TierSchedules).HasColumnType("jsonb");
            tenant.Property(t => t.BudgetAttributes).HasDefaultValueSql("'{}'");
        });

        modelBuilder.Entity<CatalogPrice>(price =>
        {
            price.ToTable("catalog_prices");
            price.Property(p => p.Id).UseIdentityAlwaysColumn();
            price.HasIndex(p => new { p.Provider, p.Model, p.EffectiveFrom }).IsUnique();
            price.Property(p => p.Terms).HasColumnType("jsonb");
        });

        modelBuilder.Entity<CatalogProviderFallback>(fallback =>
        {
            fallback.ToTable("catalog_provider_fallbacks");
            fallback.HasKey(f => f.Provider);
        });

        modelBuilder.Entity<CatalogTierSchedule>(schedule =>
        {
            schedule.ToTable("catalog_tier_schedules");
            schedule.HasKey(s => s.Name);
            schedule.Property(s => s.Steps).HasColumnType("jsonb");
        });

        modelBuilder.Entity<CatalogRevision>(revision =>
        {
            revision.ToTable("catalog_revision");
            revision.Property(r => r.Id).ValueGeneratedNever();
            revision.HasData(new CatalogRevision { Id = 1, Revision = 0 });
        });

        WebhookSchema.Configure(modelBuilder);
    }
}
