using System.Runtime.InteropServices;

namespace Folios;

/// <summary>
/// The native memory behind an allocator. On Linux it is a memfd mapped once with MAP_SHARED (the "direct map"),
/// so that <see cref="PageAllocator.Map"/> can place the same physical pages at a second address; elsewhere it is
/// an aligned native block and mappings fall back to copies.
/// </summary>
internal sealed unsafe class Arena : IDisposable
{
    private readonly nuint _length;
    private int _disposed;

    public Arena(long length, int pageSize)
    {
        _length = (nuint)length;
        if (OperatingSystem.IsLinux())
        {
            FileDescriptor = Libc.MemfdCreate("folios-arena", Libc.MfdCloexec);
            if (FileDescriptor < 0)
                throw Libc.Error("memfd_create");
            if (Libc.Ftruncate(FileDescriptor, length) != 0)
            {
                Libc.Close(FileDescriptor);
                throw Libc.Error("ftruncate");
            }
            nint address = Libc.Mmap(0, _length, Libc.ProtRead | Libc.ProtWrite, Libc.MapShared, FileDescriptor, 0);
            if (address == Libc.MapFailed)
            {
                Libc.Close(FileDescriptor);
                throw Libc.Error("mmap of the arena");
            }
            Base = (byte*)address;
        }
        else
        {
            FileDescriptor = -1;
            Base = (byte*)NativeMemory.AlignedAlloc(_length, (nuint)pageSize);
            NativeMemory.Clear(Base, _length);
        }
        GC.AddMemoryPressure(length);
    }

    public byte* Base { get; }

    /// <summary>The memfd of the arena, or -1 where pages cannot be mapped a second time.</summary>
    public int FileDescriptor { get; }

    public bool CanMap => FileDescriptor >= 0;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        if (FileDescriptor >= 0)
        {
            Libc.Munmap((nint)Base, _length);
            Libc.Close(FileDescriptor);
        }
        else
        {
            NativeMemory.AlignedFree(Base);
        }
        GC.RemoveMemoryPressure((long)_length);
    }
}
