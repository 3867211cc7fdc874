namespace Folios.Tests.Buffers;

/// <summary>Builds allocators and buffers of a wanted layout for the buffer tests.</summary>
internal static class BufferFactory
{
    public static PageAllocator Allocator(int pageSize, int pages = 64, FailPageAlloc? faults = null) =>
        new(new PageAllocatorOptions { PageSize = pageSize, ArenaBytes = (long)pageSize * pages, MaxOrder = 6, ReservePages = 0, FaultInjection = faults });

    /// <summary>
    /// A buffer of the wanted layout. The mapped layout comes from the real fallback: the allocator must fail
    /// high-order requests (fault injection), so FolioOrMapped falls back to mapped pages.
    /// </summary>
    public static ExtentBuffer Create(PageAllocator allocator, BufferLayout layout, int length) => layout switch
    {
        BufferLayout.Pages => ExtentBuffer.Allocate(allocator, length),
        BufferLayout.Folio => ExtentBuffer.Allocate(allocator, length, AllocationPolicy.SingleFolio, AllocFlags.None),
        _ => ExtentBuffer.Allocate(allocator, length, AllocationPolicy.FolioOrMapped),
    };

    public static PageAllocator AllocatorFor(BufferLayout layout, int pageSize) =>
        Allocator(pageSize, faults: layout == BufferLayout.Mapped ? new FailPageAlloc { MinOrder = 1 } : null);
}
