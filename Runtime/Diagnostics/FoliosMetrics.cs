using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Folios;

/// <summary>The <c>Folios</c> meter, readable with <c>dotnet-counters monitor --counters Folios</c>.</summary>
internal static class FoliosMetrics
{
    public const string MeterName = "Folios";
    private static readonly Meter Meter = new(MeterName, "1.0");
    private static readonly ConcurrentDictionary<PageAllocator, byte> LiveAllocators = new();
    private static readonly object[] BoxedOrders = Enumerable.Range(0, 21).Select(order => (object)order).ToArray();

    public static readonly Counter<long> Allocations =
        Meter.CreateCounter<long>("folios.allocations", "{allocation}", "Successful allocations, tagged with order.");
    public static readonly Counter<long> Failures =
        Meter.CreateCounter<long>("folios.allocation_failures", "{allocation}", "Failed allocations, tagged with order and reason.");
    public static readonly Counter<long> NoFailOrderWarnings =
        Meter.CreateCounter<long>("folios.nofail_order_warnings", "{warning}", "NoFail requests above order 1, once per call site.");
    public static readonly Counter<long> Fallbacks =
        Meter.CreateCounter<long>("folios.fallbacks", "{buffer}", "Buffers that fell back from a folio, tagged with from_order and to.");
    public static readonly UpDownCounter<long> LiveMappings =
        Meter.CreateUpDownCounter<long>("folios.mappings.live", "{mapping}", "Mappings not yet unmapped.");
    public static readonly UpDownCounter<long> MappedPages =
        Meter.CreateUpDownCounter<long>("folios.pages.mapped", "{page}", "Pages mapped by live mappings.");

    static FoliosMetrics()
    {
        Meter.CreateObservableUpDownCounter("folios.pages.free", ObserveFreePages, "{page}", "Free pages, tagged with the order of the free block.");
    }

    public static object Order(int order) => BoxedOrders[order];

    public static void Register(PageAllocator allocator) => LiveAllocators.TryAdd(allocator, 0);

    public static void Unregister(PageAllocator allocator) => LiveAllocators.TryRemove(allocator, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CountAllocation(int order)
    {
        if (Allocations.Enabled)
            Allocations.Add(1, new KeyValuePair<string, object?>("order", Order(order)));
    }

    public static void CountFailure(int order, AllocationFailureReason reason)
    {
        if (Failures.Enabled)
            Failures.Add(1, new KeyValuePair<string, object?>("order", Order(order)), new KeyValuePair<string, object?>("reason", ReasonTag(reason)));
    }

    private static string ReasonTag(AllocationFailureReason reason) => reason switch
    {
        AllocationFailureReason.ArenaExhausted => "arena_exhausted",
        AllocationFailureReason.Fragmented => "fragmented",
        _ => "fault_injected",
    };

    private static IEnumerable<Measurement<long>> ObserveFreePages()
    {
        var pagesPerOrder = new long[BoxedOrders.Length];
        foreach (var allocator in LiveAllocators.Keys)
        {
            var blocks = allocator.Statistics.FreeBlocksPerOrder;
            for (int order = 0; order < blocks.Count; order++)
                pagesPerOrder[order] += (long)blocks[order] << order;
        }
        for (int order = 0; order < pagesPerOrder.Length; order++)
        {
            if (pagesPerOrder[order] != 0)
                yield return new Measurement<long>(pagesPerOrder[order], new KeyValuePair<string, object?>("order", Order(order)));
        }
    }
}
