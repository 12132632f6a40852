namespace Metering.Pricing.Catalog;

/// <summary>Tokens that fall in one tier: <see cref="Tokens"/> tokens from counter position <see cref="Position"/>.</summary>
public readonly record struct TierSpan(int Tier, long Position, long Tokens);

/// <summary>
/// A run of tokens cut where it crosses a tier boundary (<see cref="TierSchedule.Walk"/>): enumerate it with
/// <c>foreach</c>. A ref struct, so walking allocates nothing.
/// </summary>
public ref struct TierWalk
{
    private readonly TierSchedule schedule;
    private long position;
    private long left;

    internal TierWalk(TierSchedule schedule, long position, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        this.schedule = schedule;
        this.position = position;
        left = count;
        Current = default;
    }

    public TierSpan Current { get; private set; }

    public readonly TierWalk GetEnumerator() => this;

    public bool MoveNext()
    {
        if (left == 0)
        {
            return false;
        }

        var tier = schedule.TierAt(position);
        var take = Math.Min(left, schedule.EndOf(tier) - position);
        Current = new TierSpan(tier, position, take);
        position += take;
        left -= take;
        return true;
    }
}
