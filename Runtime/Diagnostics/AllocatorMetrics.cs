using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Folios;

/// <summary>
/// One allocator's side of the <see cref="FoliosMeter"/> instruments: the instruments of its meter (the shared one,
/// or one from <see cref="PageAllocatorOptions.MeterFactory"/>) and its name tag, so every measurement says which
/// allocator it came from.
/// </summary>
internal sealed class AllocatorMetrics
{
    private static readonly string Version = typeof(FoliosMeter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
    private static readonly Lazy<Meter> SharedMeter = new(() => new Meter(new MeterOptions(FoliosMeter.Name) { Version = Version }));
    private static readonly ConditionalWeakTable<Meter, Instruments> InstrumentsOf = [];
    private static readonly object[] BoxedOrders = Enumerable.Range(0, 21).Select(order => (object)order).ToArray();

    private readonly Instruments _instruments;
    private readonly KeyValuePair<string, object?> _name;

    public AllocatorMetrics(PageAllocatorOptions options)
    {
        Meter = options.MeterFactory?.Create(new MeterOptions(FoliosMeter.Name) { Version = Version }) ?? SharedMeter.Value;
        _instruments = InstrumentsOf.GetValue(Meter, created => new Instruments(created));
        _name = new("folios.allocator.name", options.Name);
    }

    /// <summary>The meter this allocator reports to; what is built on the allocator (its pools) reports there too.</summary>
    public Meter Meter { get; }

    /// <summary>The <c>folios.allocator.name</c> tag of every measurement.</summary>
    public KeyValuePair<string, object?> NameTag => _name;

    public void Register(PageAllocator allocator) => _instruments.Live.TryAdd(allocator, _name);

    public void Unregister(PageAllocator allocator) => _instruments.Live.TryRemove(allocator, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CountAllocation(int order)
    {
        if (_instruments.Allocations.Enabled)
            _instruments.Allocations.Add(1, _name, Order(order));
    }

    public void CountFailure(int order, AllocationFailureReason reason)
    {
        if (_instruments.Failures.Enabled)
            _instruments.Failures.Add(1, _name, Order(order), new("error.type", ErrorType(reason)));
    }

    public void CountNoFailOrderWarning(int order)
    {
        if (_instruments.NoFailOrderWarnings.Enabled)
            _instruments.NoFailOrderWarnings.Add(1, _name, Order(order));
    }

    public void CountFallback(int fromOrder, BufferLayout to)
    {
        if (_instruments.Fallbacks.Enabled)
            _instruments.Fallbacks.Add(1, _name, Order(fromOrder), new("folios.buffer.layout", to == BufferLayout.Mapped ? "mapped" : "pages"));
    }

    public void CountMappings(int mappings, long bytes)
    {
        _instruments.Mappings.Add(mappings, _name);
        _instruments.MappedBytes.Add(bytes, _name);
    }

    private static KeyValuePair<string, object?> Order(int order) => new("folios.page.order", BoxedOrders[order]);

    /// <summary>The reason in snake case, as OpenTelemetry's <c>error.type</c> values are written.</summary>
    internal static string ErrorType(AllocationFailureReason reason) => reason switch
    {
        AllocationFailureReason.ArenaExhausted => "arena_exhausted",
        AllocationFailureReason.Fragmented => "fragmented",
        AllocationFailureReason.FaultInjected => "fault_injected",
        AllocationFailureReason.LargerThanArena => "larger_than_arena",
        AllocationFailureReason.NoProgress => "no_progress",
        AllocationFailureReason.MappingExhausted => "mapping_exhausted",
        _ => "_OTHER",
    };

    /// <summary>The instruments of one meter, shared by every allocator that reports to it.</summary>
    private sealed class Instruments
    {
        public Instruments(Meter meter)
        {
            Allocations = meter.CreateCounter<long>("folios.page.allocations", "{allocation}", "Successful page allocations.");
            Failures = meter.CreateCounter<long>("folios.page.allocation_failures", "{allocation}", "Failed page allocations, by error.type.");
            NoFailOrderWarnings = meter.CreateCounter<long>("folios.page.nofail_order_warnings", "{warning}", "NoFail requests above order 1, once per call site.");
            Fallbacks = meter.CreateCounter<long>("folios.buffer.fallbacks", "{buffer}", "Buffers that got order-0 pages instead of a folio.");
            Mappings = meter.CreateUpDownCounter<long>("folios.mapping.count", "{mapping}", "Mappings not yet unmapped.");
            MappedBytes = meter.CreateUpDownCounter<long>("folios.mapping.usage", "By", "Bytes mapped by live mappings.");
            meter.CreateObservableUpDownCounter("folios.memory.free", ObserveFree, "By", "Free memory, by the order of its free block.");
        }

        public ConcurrentDictionary<PageAllocator, KeyValuePair<string, object?>> Live { get; } = new();

        public Counter<long> Allocations { get; }
        public Counter<long> Failures { get; }
        public Counter<long> NoFailOrderWarnings { get; }
        public Counter<long> Fallbacks { get; }
        public UpDownCounter<long> Mappings { get; }
        public UpDownCounter<long> MappedBytes { get; }

        private IEnumerable<Measurement<long>> ObserveFree()
        {
            foreach (var (allocator, name) in Live)
            {
                var blocks = allocator.Statistics.FreeBlocksPerOrder;
                for (int order = 0; order < blocks.Count; order++)
                {
                    if (blocks[order] != 0)
                        yield return new Measurement<long>((long)blocks[order] << order << allocator.PageShift, name, Order(order));
                }
            }
        }
    }
}
