using Metering.Ledger.Model;
using Microsoft.EntityFrameworkCore;

namespace Metering.Ledger;

/// <summary>
/// The tables of webhook alerts (SPEC §15): endpoints, events, one delivery per (endpoint, event) with its attempts,
/// and the markers that make <c>cycle.closed</c> and <c>rejections.spike</c> happen once.
/// </summary>
public static class WebhookSchema
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<WebhookEndpoint>(endpoint =>
        {
            endpoint.ToTable("webhook_endpoints");
            endpoint.Property(e => e.Id).ValueGeneratedNever();
            endpoint.Property(e => e.Url).HasMaxLength(2048);
            endpoint.Property(e => e.TenantId).HasMaxLength(64);
            endpoint.Property(e => e.Description).HasMaxLength(256);
        });

        modelBuilder.Entity<WebhookEvent>(webhookEvent =>
        {
            webhookEvent.ToTable("webhook_events");
            webhookEvent.Property(e => e.Id).ValueGeneratedNever();
            webhookEvent.Property(e => e.Type).HasMaxLength(64);
            webhookEvent.Property(e => e.TenantId).HasMaxLength(64);
            webhookEvent.Property(e => e.Data).HasColumnType("jsonb");
            // The purge of events past retention.
            webhookEvent.HasIndex(e => e.OccurredAt);
        });

        modelBuilder.Entity<WebhookDelivery>(delivery =>
        {
            delivery.ToTable("webhook_deliveries");
            delivery.Property(d => d.Id).UseIdentityAlwaysColumn();
            delivery.Property(d => d.Status).HasMaxLength(16);
            delivery.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
            delivery.HasOne<WebhookEvent>().WithMany().HasForeignKey(d => d.EventId).OnDelete(DeleteBehavior.Cascade);
            delivery.HasIndex(d => new { d.EndpointId, d.EventId }).IsUnique();
            // The delivery loop's look for due work reads only what is pending.
            delivery.HasIndex(d => d.NextAttemptAt).HasFilter("status = 'pending'");
            // The delivery log of one endpoint, newest first, by keyset.
            delivery.HasIndex(d => new { d.EndpointId, d.Id });
            delivery.HasIndex(d => d.EventId);
        });

        modelBuilder.Entity<WebhookAttempt>(attempt =>
        {
            attempt.ToTable("webhook_attempts");
            attempt.Property(a => a.Id).UseIdentityAlwaysColumn();
            attempt.Property(a => a.Trigger).HasMaxLength(16);
            attempt.HasOne<WebhookDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
            attempt.HasIndex(a => new { a.DeliveryId, a.Id });
        });

        modelBuilder.Entity<CycleClosing>(closing =>
        {
            closing.ToTable("cycle_closings");
            closing.HasKey(c => new { c.TenantId, c.Cycle });
            closing.Property(c => c.TenantId).HasMaxLength(64);
        });

        modelBuilder.Entity<RejectionSpike>(spike =>
        {
            spike.ToTable("rejection_spikes");
            spike.HasKey(s => s.TenantId);
            spike.Property(s => s.TenantId).HasMaxLength(64);
        });
    }
}
