namespace Folios;

/// <summary>Settings of a <see cref="PageAllocator"/>.</summary>
public sealed class PageAllocatorOptions
{
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

    /// <summary>Record the allocation stack of every live mapping and report leaks on dispose.</summary>
    public bool TrackLeaks { get; init; }

    /// <summary>The most pages that may be mapped at once through <see cref="PageAllocator.Map"/> views (default 16384).</summary>
    public int MaxMappedPages { get; init; } = 16384;

    internal int PageCount => (int)(ArenaBytes / PageSize);

    internal void Validate()
    {
        if (PageSize < 4096 || PageSize > 65536 || (PageSize & (PageSize - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(PageSize), PageSize, "PageSize must be a power of two from 4096 to 65536.");
        if (MaxOrder is < 0 or > 20)
            throw new ArgumentOutOfRangeException(nameof(MaxOrder), MaxOrder, "MaxOrder must be between 0 and 20.");
        if (ArenaBytes <= 0 || ArenaBytes % PageSize != 0)
            throw new ArgumentOutOfRangeException(nameof(ArenaBytes), ArenaBytes, $"ArenaBytes must be a positive multiple of the page size ({PageSize}).");
        if (ArenaBytes / PageSize > int.MaxValue / 2)
            throw new ArgumentOutOfRangeException(nameof(ArenaBytes), ArenaBytes, "ArenaBytes holds too many pages.");
        if (ReservePages < 0 || ReservePages >= PageCount)
            throw new ArgumentOutOfRangeException(nameof(ReservePages), ReservePages, $"ReservePages must be between 0 and the arena's page count ({PageCount}) minus one.");
        if (MaxMappedPages < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxMappedPages), MaxMappedPages, "MaxMappedPages must not be negative.");
        FaultInjection?.Validate();
    }
}
