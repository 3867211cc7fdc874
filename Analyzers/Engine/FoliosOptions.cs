using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Folios.Analyzers.Engine;

/// <summary>The <c>.editorconfig</c> options of the rules, read per syntax tree.</summary>
internal readonly struct FoliosOptions
{
    public const string PageSizeKey = "folios.page_size";
    public const string MaxNoFailOrderKey = "folios.max_nofail_order";
    public const string MaxFolioOrderKey = "folios.max_folio_order";
    public const string MappingExceptionPathsKey = "folios.mapping_exception_paths";
    public const string PoolExceptionPathsKey = "folios.pool_exception_paths";
    public const string PoolExactPowersOfTwoKey = "folios.pool_exact_powers_of_two";
    public const string SequenceEmptySegmentsKey = "folios.sequence_empty_segments";
    public const string PipeFinalReadsKey = "folios.pipe_final_reads";
    public const string PipeUnconsumedAdvanceKey = "folios.pipe_unconsumed_advance";
    public const int DefaultPageSize = 4096;
    public const int DefaultMaxNoFailOrder = 1;

    private FoliosOptions(int pageSize, int maxNoFailOrder, int? maxFolioOrder, bool mappingExceptionPaths, bool poolExceptionPaths, bool poolExactPowersOfTwo,
        bool sequenceEmptySegments, bool pipeFinalReads, bool pipeUnconsumedAdvance)
    {
        PipeFinalReads = pipeFinalReads;
        PipeUnconsumedAdvance = pipeUnconsumedAdvance;
        MappingExceptionPaths = mappingExceptionPaths;
        PoolExceptionPaths = poolExceptionPaths;
        PoolExactPowersOfTwo = poolExactPowersOfTwo;
        SequenceEmptySegments = sequenceEmptySegments;
        PageSize = pageSize;
        MaxNoFailOrder = maxNoFailOrder;
        MaxFolioOrder = maxFolioOrder;
    }

    /// <summary>The page size that sizes are converted with (a power of two, 4096..65536).</summary>
    public int PageSize { get; }

    /// <summary>The highest order at which NoFail is accepted.</summary>
    public int MaxNoFailOrder { get; }

    /// <summary>The highest folio order the project allows (FOLIO009); null when the project sets no limit.</summary>
    public int? MaxFolioOrder { get; }

    /// <summary>Whether FOLIO003/FOLIO004 follow paths that leave by an exception (default true; CA2000's dispose_analysis_kind).</summary>
    public bool MappingExceptionPaths { get; }

    /// <summary>
    /// Whether FOLIO012 reports a rented array lost when an exception leaves, and FOLIO011 an array returned again after
    /// the <c>Rent</c> that was to replace it threw (default false: much tuned code returns without try/finally on
    /// purpose, the garbage collector takes a lost array, and a framework pool throws only for a size it cannot serve).
    /// </summary>
    public bool PoolExceptionPaths { get; }

    /// <summary>
    /// Whether FOLIO013 trusts <c>Rent(n)</c> with a constant power of two from 16 to give exactly n (default true: every
    /// pool of the framework rounds up to a power of two).
    /// </summary>
    public bool PoolExactPowersOfTwo { get; }

    /// <summary>
    /// Whether FOLIO010 assumes sequences may start with an empty segment even when they hold data, as hand-built
    /// segment chains can (default false: no framework producer hands one out since .NET 7).
    /// </summary>
    public bool SequenceEmptySegments { get; }

    /// <summary>
    /// Whether FOLIO015 reports a final read (<c>result.IsCanceled</c> or <c>result.IsCompleted</c>) left without
    /// <c>AdvanceTo</c> (default false: such a read ends the reader's use, and whoever ends it completes the reader,
    /// which ends the read).
    /// </summary>
    public bool PipeFinalReads { get; }

    /// <summary>
    /// Whether FOLIO014 reports a buffer used after an <c>AdvanceTo</c> that consumed nothing
    /// (<c>AdvanceTo(result.Buffer.Start, result.Buffer.End)</c>; default false: the contract forbids it, but no reader
    /// frees a segment there).
    /// </summary>
    public bool PipeUnconsumedAdvance { get; }

    public static FoliosOptions Read(AnalyzerOptions options, SyntaxTree tree)
    {
        var config = options.AnalyzerConfigOptionsProvider.GetOptions(tree);
        int pageSize = ReadInt(config, PageSizeKey, DefaultPageSize);
        if (pageSize < 4096 || pageSize > 65536 || (pageSize & (pageSize - 1)) != 0)
            pageSize = DefaultPageSize;
        int maxNoFailOrder = ReadInt(config, MaxNoFailOrderKey, DefaultMaxNoFailOrder);
        int maxFolioOrder = ReadInt(config, MaxFolioOrderKey, -1);
        return new FoliosOptions(pageSize, maxNoFailOrder is < 0 or > 20 ? DefaultMaxNoFailOrder : maxNoFailOrder,
            maxFolioOrder is < 0 or > 20 ? null : maxFolioOrder, ReadBool(config, MappingExceptionPathsKey, true), ReadBool(config, PoolExceptionPathsKey, false),
            ReadBool(config, PoolExactPowersOfTwoKey, true), ReadBool(config, SequenceEmptySegmentsKey, false),
            ReadBool(config, PipeFinalReadsKey, false), ReadBool(config, PipeUnconsumedAdvanceKey, false));
    }

    /// <summary>ceil(log2(bytes / PageSize)), as PageAllocator.OrderForSize computes it.</summary>
    public int OrderForSize(long bytes)
    {
        long pages = (bytes + PageSize - 1) / PageSize;
        int order = 0;
        while ((1L << order) < pages)
            order++;
        return order;
    }

    private static bool ReadBool(AnalyzerConfigOptions config, string key, bool fallback) =>
        config.TryGetValue(key, out var text) && bool.TryParse(text.Trim(), out bool value) ? value : fallback;

    private static int ReadInt(AnalyzerConfigOptions config, string key, int fallback) =>
        config.TryGetValue(key, out var text) && int.TryParse(text.Trim(), out int value) ? value : fallback;
}
