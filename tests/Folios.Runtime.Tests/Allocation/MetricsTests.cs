using System.Diagnostics.Metrics;

namespace Folios.Tests.Allocation;

public class MetricsTests
{
    [Fact]
    public void The_Folios_meter_reports_allocations_failures_warnings_and_free_pages_by_order()
    {
        var measurements = new List<(string Name, long Value, Dictionary<string, object?> Tags)>();
        using var allocator = new PageAllocator(new PageAllocatorOptions { ArenaBytes = 16 * 4096, MaxOrder = 4, ReservePages = 0 });
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Folios")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (measurements)
                measurements.Add((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
        });
        listener.Start();

        var folio = allocator.Allocate(2);
        Assert.False(allocator.TryAllocate(4, AllocFlags.NoWarn, out _));
        allocator.Allocate(1, AllocFlags.NoFail);
        Assert.Throws<PageAllocationException>(() => allocator.Allocate(4, AllocFlags.NoFail));
        listener.RecordObservableInstruments();

        lock (measurements)
        {
            Assert.Contains(measurements, m => m.Name == "folios.allocations" && (int)m.Tags["order"]! == 2);
            Assert.Contains(measurements, m => m.Name == "folios.allocation_failures" && (int)m.Tags["order"]! == 4 && (string)m.Tags["reason"]! == "arena_exhausted");
            Assert.Contains(measurements, m => m.Name == "folios.nofail_order_warnings" && (int)m.Tags["order"]! == 4);
            // After order 2 and order 1 allocations, 16 - 6 = 10 pages are free: an order-3 block and an order-1 block.
            Assert.Contains(measurements, m => m.Name == "folios.pages.free" && (int)m.Tags["order"]! == 3 && m.Value >= 8);
        }
        allocator.Free(folio);
    }
}
