using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace Folios.AspNetCore;

/// <summary>
/// The <see cref="IMemoryPoolFactory{T}"/> through which ASP.NET Core 10 servers (Kestrel's socket transport among
/// them) create their memory pools: every pool it creates is a <see cref="FolioMemoryPool"/> over one
/// <see cref="PageAllocator"/>, so the server's buffers are Folios pages, counted in the Folios meter and checked for
/// use after return. Register it with <c>services.AddFolioMemoryPool()</c>. Thread-safe.
/// </summary>
/// <remarks>
/// The allocator must be array-backed (<see cref="PageAllocatorOptions.ArrayBackedArena"/>): Kestrel's socket
/// transport sends several buffers at once through <c>Socket.BufferList</c>, which takes array segments, and fails
/// the connection ("Buffer backed by array was expected") on memory that is not an array.
/// </remarks>
public sealed class FolioMemoryPoolFactory : IMemoryPoolFactory<byte>, IDisposable
{
    private readonly bool _ownsAllocator;
    private readonly List<FolioMemoryPool> _pools = [];

    /// <summary>Creates a factory over <paramref name="allocator"/>, which stays the caller's to dispose (after the
    /// server has stopped).</summary>
    /// <param name="allocator">Where every pool's pages come from; array-backed.</param>
    /// <param name="largeBuffers">How the pools serve requests above one page (see <see cref="FolioMemoryPool"/>); by
    /// default not at all, as Kestrel's own pool: pipelines take larger segments from <see cref="ArrayPool{T}.Shared"/>.</param>
    /// <exception cref="ArgumentNullException">The allocator is null.</exception>
    /// <exception cref="ArgumentException">The allocator's arena is not array-backed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The policy does not give contiguous memory.</exception>
    /// <exception cref="ObjectDisposedException">The allocator was disposed.</exception>
    public FolioMemoryPoolFactory(PageAllocator allocator, AllocationPolicy largeBuffers = AllocationPolicy.Pages)
        : this(allocator, largeBuffers, ownsAllocator: false)
    {
    }

    internal FolioMemoryPoolFactory(PageAllocator allocator, AllocationPolicy largeBuffers, bool ownsAllocator)
    {
        ArgumentNullException.ThrowIfNull(allocator);
        if (!allocator.ArrayBackedArena)
            throw new ArgumentException(NeedsArrays, nameof(allocator));
        // A pool made now checks the policy and the allocator, so a bad factory fails where it is made, not at the
        // server's first connection.
        using var probe = new FolioMemoryPool(allocator, largeBuffers, "probe");
        Allocator = allocator;
        LargeBufferPolicy = largeBuffers;
        _ownsAllocator = ownsAllocator;
    }

    /// <summary>The allocator behind every pool.</summary>
    public PageAllocator Allocator { get; }

    /// <summary>How the pools serve requests above one page.</summary>
    public AllocationPolicy LargeBufferPolicy { get; }

    /// <summary>Every pool created so far, in order (also those the server has disposed since), to read their
    /// <see cref="FolioMemoryPool.Statistics"/>.</summary>
    public IReadOnlyList<FolioMemoryPool> Pools
    {
        get
        {
            lock (_pools)
                return [.. _pools];
        }
    }

    internal static string NeedsArrays =>
        "Kestrel's socket transport sends through Socket.BufferList, which takes array segments: the allocator must be " +
        "created with PageAllocatorOptions.ArrayBackedArena = true.";

    /// <summary>Creates a pool; its <see cref="FolioMemoryPool.Owner"/> (the <c>folios.pool.owner</c> metric tag) is
    /// <see cref="MemoryPoolOptions.Owner"/>, or <c>aspnetcore</c> when none is given.</summary>
    /// <exception cref="ObjectDisposedException">The allocator was disposed.</exception>
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null)
    {
        var pool = new FolioMemoryPool(Allocator, LargeBufferPolicy, options?.Owner ?? "aspnetcore");
        lock (_pools)
            _pools.Add(pool);
        return pool;
    }

    /// <summary>Disposes the allocator when the factory made it (<c>AddFolioMemoryPool</c> does, and the container
    /// disposes the factory after the server has stopped); memory still rented then refuses access and its return is
    /// quiet. Idempotent; never throws.</summary>
    public void Dispose()
    {
        if (_ownsAllocator)
            Allocator.Dispose();
    }
}
