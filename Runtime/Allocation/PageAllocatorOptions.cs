using System.Diagnostics.Metrics;
using System.Numerics;

namespace Folios;

/// <summary>Settings of a <see cref="PageAllocator"/>.</summary>
public sealed class PageAllocatorOptions
{
    /// <summary>The largest folio: 1 GiB, so that every folio and mapping length fits an int.</summary>
    internal const int MaxFolioBytes = 1 << 30;

    /// <summary>The page size in bytes: a power of two from 4096 to 65536.</summary>
    public int PageSize { get; init; } = 4096;

    /// <summary>The highest order a block may have (default 10: 1024 pages).</summary>
    public int MaxOrder { get; init; } = 10;

    /// <summary>The arena size in bytes, a multiple of <see cref="PageSize"/> (default 16 MiB).</summary>
    public long ArenaBytes { get; init; } = 16L << 20;

    /// <summary>
    /// Free pages kept back for NoFail requests: other requests fail rather than take them
    /// (the kernel's min watermark). Default: 16, or an eighth of a smaller arena.
    /// </summary>
    public int ReservePages
    {
        get => _reservePages ?? Math.Min(16, PageCount / 8);
        init => _reservePages = value;
    }

    private int? _reservePages;

    /// <summary>Fault injection, or null for none.</summary>
    public FailPageAlloc? FaultInjection { get; init; }

    /// <summary>
    /// Make the arena one pinned managed array (on the Pinned Object Heap) instead of native memory, so that the
    /// memory of every page is also an <see cref="ArraySegment{T}"/>: <c>MemoryMarshal.TryGetArray</c> succeeds on a
    /// <see cref="FolioMemoryPool"/>'s memory, as Kestrel's socket transport needs for sends of several buffers
    /// (Socket.BufferList takes array segments). An array segment escapes the pool's checks: code holding one after
    /// the return reads and writes the array unchecked. Such an arena cannot map pages (<see cref="PageAllocator.Map"/>
    /// throws <see cref="PlatformNotSupportedException"/>), is at most <see cref="Array.MaxLength"/> bytes less one
    /// page, and counts as managed heap.
    /// </summary>
    public bool ArrayBackedArena { get; init; }

    /// <summary>Record the allocation stack of every live mapping and report leaks on dispose.</summary>
    public bool TrackLeaks { get; init; }

    /// <summary>The most pages that may be mapped at once through <see cref="PageAllocator.Map"/> views (default 16384).</summary>
    public int MaxMappedPages { get; init; } = 16384;

    /// <summary>
    /// How long a NoFail request waits without progress (no page freed, nothing reclaimed) before it fails with
    /// <see cref="AllocationFailureReason.NoProgress"/> (default 10 s). Every free restarts the wait, so a NoFail
    /// request rides out any pressure that other threads relieve; only a request nobody can satisfy ends.
    /// </summary>
    public TimeSpan NoFailTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The allocator's name in its metrics (tag <c>folios.allocator.name</c>), so a process with several
    /// allocators can tell them apart (default <c>"default"</c>).</summary>
    public string Name { get; init; } = "default";

    /// <summary>Where the <see cref="FoliosMeter"/> instruments come from: a host's <see cref="IMeterFactory"/>
    /// (dependency injection, tests that want their own meter), or null for the process-wide meter.</summary>
    public IMeterFactory? MeterFactory { get; init; }

    internal int PageCount => (int)(ArenaBytes / PageSize);

    internal void Validate()
    {
        if (PageSize < 4096 || PageSize > 65536 || (PageSize & (PageSize - 1)) != 0)
            throw new ArgumentOutOfRangeException("options", PageSize, "PageAllocatorOptions.PageSize must be a power of two from 4096 to 65536.");
        // Compared as an order, never shifted: a shift by a huge MaxOrder wraps around.
        int highestOrder = BitOperations.Log2((uint)(MaxFolioBytes / PageSize));
        if (MaxOrder < 0 || MaxOrder > highestOrder)
            throw new ArgumentOutOfRangeException("options", MaxOrder,
                $"PageAllocatorOptions.MaxOrder must be between 0 and {highestOrder} for {PageSize}-byte pages: a folio's length is an int, so at most 1 GiB.");
        if (ArenaBytes <= 0 || ArenaBytes % PageSize != 0)
            throw new ArgumentOutOfRangeException("options", ArenaBytes, $"PageAllocatorOptions.ArenaBytes must be a positive multiple of the page size ({PageSize}).");
        if (ArrayBackedArena && ArenaBytes > Array.MaxLength - PageSize)
            throw new ArgumentOutOfRangeException("options", ArenaBytes, $"PageAllocatorOptions.ArenaBytes must be at most {Array.MaxLength - PageSize} for an array-backed arena (one array).");
        if (ArenaBytes / PageSize > int.MaxValue / 2)
            throw new ArgumentOutOfRangeException("options", ArenaBytes, "PageAllocatorOptions.ArenaBytes holds too many pages.");
        if (ReservePages < 0 || ReservePages >= PageCount)
            throw new ArgumentOutOfRangeException("options", ReservePages, $"PageAllocatorOptions.ReservePages must be between 0 and the arena's page count ({PageCount}) minus one.");
        if (NoFailTimeout < TimeSpan.Zero || NoFailTimeout.TotalMilliseconds > int.MaxValue)
            throw new ArgumentOutOfRangeException("options", NoFailTimeout, "PageAllocatorOptions.NoFailTimeout must be between zero and int.MaxValue milliseconds.");
        if (string.IsNullOrWhiteSpace(Name))
            throw new ArgumentException("PageAllocatorOptions.Name must not be empty: it tells allocators apart in the metrics.", "options");
        if (MaxMappedPages < 0)
            throw new ArgumentOutOfRangeException("options", MaxMappedPages, "PageAllocatorOptions.MaxMappedPages must not be negative.");
        FaultInjection?.Validate();
    }
}
