namespace Folios;

/// <summary>
/// The <c>Folios</c> meter: <c>dotnet-counters monitor --counters Folios</c>, or
/// <c>AddMeter(FoliosMeter.Name)</c> in OpenTelemetry. Instruments (every one tagged with
/// <c>folios.allocator.name</c>, from <see cref="PageAllocatorOptions.Name"/>):
/// <list type="bullet">
/// <item><c>folios.page.allocations</c> (<c>{allocation}</c>, tag <c>folios.page.order</c>): successful allocations.</item>
/// <item><c>folios.page.allocation_failures</c> (<c>{allocation}</c>, tags <c>folios.page.order</c>, <c>error.type</c>):
/// failed ones; <c>error.type</c> is the <see cref="AllocationFailureReason"/> in snake case.</item>
/// <item><c>folios.page.nofail_order_warnings</c> (<c>{warning}</c>, tag <c>folios.page.order</c>): NoFail above order 1, once per call site.</item>
/// <item><c>folios.buffer.fallbacks</c> (<c>{buffer}</c>, tags <c>folios.page.order</c>, <c>folios.buffer.layout</c>):
/// buffers that got pages instead of a folio of that order.</item>
/// <item><c>folios.mapping.count</c> (<c>{mapping}</c>) and <c>folios.mapping.usage</c> (<c>By</c>): live mappings and the bytes they map.</item>
/// <item><c>folios.memory.free</c> (<c>By</c>, tag <c>folios.page.order</c>): free memory by the order of its free block.</item>
/// </list>
/// </summary>
public static class FoliosMeter
{
    /// <summary>The meter's name.</summary>
    public const string Name = "Folios";
}
