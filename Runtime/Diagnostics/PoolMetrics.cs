using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Folios;

/// <summary>
/// One <see cref="FolioMemoryPool"/>'s side of the <see cref="FoliosMeter"/> instruments: on its allocator's meter,
/// tagged with the allocator's name and the pool's owner. Tags are built only while someone listens.
/// </summary>
internal sealed class PoolMetrics
{
    private static readonly ConditionalWeakTable<Meter, Instruments> InstrumentsOf = [];
    private static readonly KeyValuePair<string, object?>[] Layouts =
    [
        new("folios.buffer.layout", "pages"),
        new("folios.buffer.layout", "folio"),
        new("folios.buffer.layout", "mapped"),
    ];

    private readonly Instruments _instruments;
    private readonly KeyValuePair<string, object?> _allocator;
    private readonly KeyValuePair<string, object?> _owner;

    public PoolMetrics(AllocatorMetrics allocatorMetrics, string owner)
    {
        _instruments = InstrumentsOf.GetValue(allocatorMetrics.Meter, created => new Instruments(created));
        _allocator = allocatorMetrics.NameTag;
        _owner = new("folios.pool.owner", owner);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CountRent(long bytes, BufferLayout layout)
    {
        if (_instruments.Rented.Enabled)
            _instruments.Rented.Add(bytes, _allocator, _owner, Layouts[(int)layout]);
        if (_instruments.Usage.Enabled)
            _instruments.Usage.Add(bytes, _allocator, _owner);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CountReturn(long bytes)
    {
        if (_instruments.Usage.Enabled)
            _instruments.Usage.Add(-bytes, _allocator, _owner);
    }

    public void CountUseAfterReturn()
    {
        if (_instruments.UseAfterReturn.Enabled)
            _instruments.UseAfterReturn.Add(1, _allocator, _owner);
    }

    public void CountDoubleReturn()
    {
        if (_instruments.DoubleReturns.Enabled)
            _instruments.DoubleReturns.Add(1, _allocator, _owner);
    }

    /// <summary>The pool instruments of one meter, shared by every pool that reports to it.</summary>
    private sealed class Instruments(Meter meter)
    {
        public Counter<long> Rented { get; } = meter.CreateCounter<long>("folios.pool.rented", "By", "Bytes rented from Folios memory pools, by folios.buffer.layout.");
        public UpDownCounter<long> Usage { get; } = meter.CreateUpDownCounter<long>("folios.pool.usage", "By", "Bytes rented from Folios memory pools and not yet returned.");
        public Counter<long> UseAfterReturn { get; } = meter.CreateCounter<long>("folios.pool.use_after_return", "{access}", "Accesses to pooled memory after its owner was disposed, refused with ObjectDisposedException.");
        public Counter<long> DoubleReturns { get; } = meter.CreateCounter<long>("folios.pool.double_returns", "{return}", "Memory owners disposed a second time (ignored: the memory was already back).");
    }
}
