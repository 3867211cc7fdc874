using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Folios.Tests.Allocation;

/// <summary>The Folios meter, read with MetricCollector from a meter factory of each test's own, so tests running in
/// parallel never see each other's measurements.</summary>
public sealed class MetricsTests : IDisposable
{
    private readonly TestMeterFactory _meters = new();

    public void Dispose() => _meters.Dispose();

    [Fact]
    public void Allocations_failures_warnings_and_free_memory_carry_the_allocator_name_the_order_and_the_error_type()
    {
        using var allocations = Collect("folios.page.allocations");
        using var failures = Collect("folios.page.allocation_failures");
        using var warnings = Collect("folios.page.nofail_order_warnings");
        using var free = Collect("folios.memory.free");
        using var allocator = Create("metadata", pages: 16);

        var folio = allocator.Allocate(2);
        Assert.False(allocator.TryAllocate(4, AllocFlags.NoWarn, out _));
        allocator.Allocate(1, AllocFlags.NoFail);
        Assert.Throws<PageAllocationException>(() => allocator.Allocate(4, AllocFlags.NoFail));
        free.RecordObservableInstruments();

        var allocated = allocations.GetMeasurementSnapshot().First();
        Assert.Equal(1, allocated.Value);
        Assert.Equal("metadata", allocated.Tags["folios.allocator.name"]);
        Assert.Equal(2, allocated.Tags["folios.page.order"]);
        Assert.Contains(failures.GetMeasurementSnapshot(), m => (int)m.Tags["folios.page.order"]! == 4 && (string)m.Tags["error.type"]! == "arena_exhausted");
        Assert.Contains(warnings.GetMeasurementSnapshot(), m => (int)m.Tags["folios.page.order"]! == 4);
        // After order 2 and order 1 allocations, 10 of 16 pages are free: an order-3 block and an order-1 block, in bytes.
        Assert.Equal(10 * 4096, free.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Contains(free.GetMeasurementSnapshot(), m => (int)m.Tags["folios.page.order"]! == 3 && m.Value == 8 * 4096);
        allocator.Free(folio);
    }

    [Fact]
    public void Mappings_count_and_bytes_move_with_map_unmap_and_disposal_and_fallbacks_name_the_layout()
    {
        using var mappings = Collect("folios.mapping.count");
        using var mapped = Collect("folios.mapping.usage");
        using var fallbacks = Collect("folios.buffer.fallbacks");
        var allocator = Create("views", pages: 64, new FailPageAlloc());
        long Sum(MetricCollector<long> collector) => collector.GetMeasurementSnapshot().Sum(m => m.Value);

        var view = allocator.Map([allocator.Allocate(0), allocator.Allocate(0)]);
        Assert.Equal((1, 2 * 4096), (Sum(mappings), Sum(mapped)));
        view.Unmap();
        Assert.Equal((0, 0), (Sum(mappings), Sum(mapped)));
        using (ExtentBuffer.Allocate(allocator, 8192, AllocationPolicy.FolioOrPages))
        using (ExtentBuffer.Allocate(allocator, 16384, AllocationPolicy.FolioOrMapped))
        {
            Assert.Contains(fallbacks.GetMeasurementSnapshot(), m => (string)m.Tags["folios.buffer.layout"]! == "pages" && (int)m.Tags["folios.page.order"]! == 1);
            Assert.Contains(fallbacks.GetMeasurementSnapshot(), m => (string)m.Tags["folios.buffer.layout"]! == "mapped" && (int)m.Tags["folios.page.order"]! == 2);
        }
        _ = allocator.Map([allocator.Allocate(0), allocator.Allocate(0), allocator.Allocate(0)]);
        Assert.Equal((1, 3 * 4096), (Sum(mappings), Sum(mapped)));
        allocator.Dispose();
        Assert.Equal((0, 0), (Sum(mappings), Sum(mapped)));
        Assert.All(mapped.GetMeasurementSnapshot(), m => Assert.Equal("views", m.Tags["folios.allocator.name"]));
    }

    [Fact]
    public void The_meter_is_named_by_a_public_constant_and_versioned_as_the_package()
    {
        using var allocator = Create("versioned", pages: 16);
        var meter = Assert.Single(_meters.Meters);
        Assert.Equal(FoliosMeter.Name, meter.Name);
        Assert.Equal(typeof(FoliosMeter).Assembly.GetName().Version!.ToString(3), meter.Version);
    }

    [Theory]
    [InlineData(AllocationFailureReason.ArenaExhausted, "arena_exhausted")]
    [InlineData(AllocationFailureReason.Fragmented, "fragmented")]
    [InlineData(AllocationFailureReason.FaultInjected, "fault_injected")]
    [InlineData(AllocationFailureReason.LargerThanArena, "larger_than_arena")]
    [InlineData(AllocationFailureReason.NoProgress, "no_progress")]
    [InlineData(AllocationFailureReason.MappingExhausted, "mapping_exhausted")]
    public void Every_failure_reason_has_its_own_error_type(AllocationFailureReason reason, string errorType) =>
        Assert.Equal(errorType, AllocatorMetrics.ErrorType(reason));

    [Fact]
    public void An_empty_allocator_name_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new PageAllocator(new PageAllocatorOptions { Name = " " }));
        Assert.Equal("options", error.ParamName);
    }

    private PageAllocator Create(string name, int pages, FailPageAlloc? faults = null) =>
        new(new PageAllocatorOptions { Name = name, ArenaBytes = pages * 4096L, MaxOrder = 4, ReservePages = 0, FaultInjection = faults, MeterFactory = _meters });

    private MetricCollector<long> Collect(string instrument) => new(_meters, FoliosMeter.Name, instrument);

    /// <summary>A meter factory of the test's own (as a host's dependency injection container would give one).</summary>
    private sealed class TestMeterFactory : IMeterFactory
    {
        public List<Meter> Meters { get; } = [];

        public Meter Create(MeterOptions options)
        {
            lock (Meters)
            {
                var meter = Meters.Find(m => m.Name == options.Name && m.Version == options.Version);
                if (meter is null)
                    Meters.Add(meter = new Meter(options.Name, options.Version, options.Tags, scope: this));
                return meter;
            }
        }

        public void Dispose()
        {
            foreach (var meter in Meters)
                meter.Dispose();
        }
    }
}
