using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Folios;

/// <summary>
/// The memory behind an allocator. On Linux it is a memfd mapped once with MAP_SHARED (the "direct map"),
/// so that <see cref="PageAllocator.Map"/> can place the same physical pages at a second address; elsewhere it is
/// an aligned native block and mappings fall back to copies. With <see cref="PageAllocatorOptions.ArrayBackedArena"/>
/// it is one pinned managed array, so that every page is also an array segment.
/// </summary>
internal sealed unsafe class Arena
{
    private readonly nuint _length;
    private readonly SafeFileHandle? _memfd;
    public bool AddressRangeReleased { get; private set; }

    public Arena(long length, int pageSize, bool arrayBacked = false)
    {
        _length = (nuint)length;
        if (arrayBacked)
        {
            // Pinned (the Pinned Object Heap), so its address never changes; one page more, to start on a page boundary.
            Array = GC.AllocateArray<byte>((int)length + pageSize, pinned: true);
            nint first = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(Array));
            ArrayOffset = (int)(((first + pageSize - 1) & ~(nint)(pageSize - 1)) - first);
            Base = (byte*)(first + ArrayOffset);
            return;
        }
        if (OperatingSystem.IsLinux())
        {
            int fd = Libc.MemfdCreate("folios-arena", Libc.MfdCloexec);
            if (fd < 0)
                throw Libc.Error("memfd_create");
            // A SafeHandle, so that Map can hold the descriptor open while it places pages even if the allocator is
            // disposed meanwhile: the number is never closed and reused under it.
            _memfd = new SafeFileHandle(fd, ownsHandle: true);
            if (Libc.Ftruncate(fd, length) != 0)
            {
                var error = Libc.Error("ftruncate of the arena");
                _memfd.Dispose();
                throw error;
            }
            nint address = Libc.Mmap(0, _length, Libc.ProtRead | Libc.ProtWrite, Libc.MapShared, fd, 0);
            if (address == Libc.MapFailed)
            {
                var error = Libc.Error("mmap of the arena");
                _memfd.Dispose();
                throw error;
            }
            Base = (byte*)address;
        }
        else
        {
            Base = (byte*)NativeMemory.AlignedAlloc(_length, (nuint)pageSize);
            NativeMemory.Clear(Base, _length);
        }
        GC.AddMemoryPressure(length);
    }

    public byte* Base { get; }

    /// <summary>The array an array-backed arena lives in (null otherwise, and once released), <see cref="Base"/> at
    /// <see cref="ArrayOffset"/>.</summary>
    public byte[]? Array { get; private set; }

    public int ArrayOffset { get; }

    public bool CanMap => _memfd is not null;

    /// <summary>The memfd, held open until <see cref="ReleaseDescriptor"/>.</summary>
    /// <exception cref="ObjectDisposedException">The arena was retired.</exception>
    public int AcquireDescriptor()
    {
        bool added = false;
        _memfd!.DangerousAddRef(ref added);
        return (int)_memfd.DangerousGetHandle();
    }

    public void ReleaseDescriptor() => _memfd!.DangerousRelease();

    /// <summary>
    /// Gives the memory back when the allocator is disposed. Memory still handed out is replaced by a placeholder of
    /// zero pages (no memfd behind it), so that an access already past its checks on another thread lands there
    /// instead of faulting; the address range itself is kept until <see cref="ReleaseAddressRange"/>.
    /// </summary>
    public void Retire(bool stillHandedOut)
    {
        if (Array is not null)
        {
            // Managed memory: what is still handed out keeps reading and writing the array until it is released.
            if (!stillHandedOut)
                ReleaseAddressRange();
            return;
        }
        if (stillHandedOut && _memfd is not null)
            Placeholder((nint)Base, _length);
        _memfd?.Dispose();
        GC.RemoveMemoryPressure((long)_length);
        if (!stillHandedOut)
            ReleaseAddressRange();
    }

    /// <summary>Releases the address range (or the native block) once nothing can reach it any more.</summary>
    public void ReleaseAddressRange()
    {
        if (AddressRangeReleased)
            return;
        AddressRangeReleased = true;
        if (Array is not null)
            Array = null; // the collector frees it once no array segment handed out refers to it
        else if (_memfd is not null)
            Libc.Munmap((nint)Base, _length);
        else
            NativeMemory.AlignedFree(Base);
    }

    /// <summary>Maps private zero pages over a range that was a view of the memfd; they cost memory only if touched.</summary>
    public static void Placeholder(nint address, nuint length) =>
        Libc.Mmap(address, length, Libc.ProtRead | Libc.ProtWrite, Libc.MapPrivate | Libc.MapAnonymous | Libc.MapFixed | Libc.MapNoReserve, -1, 0);
}
