using System.Globalization;

namespace Folios.Tests.Mapping;

/// <summary>This process's memory areas as /proc/self/maps lists them: where views and arenas really are.</summary>
internal static class ProcessMaps
{
    /// <summary>One area; <see cref="Inode"/> is the file behind it (the memfd of an arena or view), "0" when anonymous.</summary>
    public readonly record struct Area(long Start, long End, string Inode);

    public static List<Area> Areas() => File.ReadLines("/proc/self/maps").Select(line =>
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var range = fields[0].Split('-');
        return new Area(long.Parse(range[0], NumberStyles.HexNumber), long.Parse(range[1], NumberStyles.HexNumber), fields[4]);
    }).ToList();

    public static Area? At(long address) => Areas().Where(a => a.Start <= address && address < a.End).Select(a => (Area?)a).SingleOrDefault();

    /// <summary>Areas that map the allocator's memfd, other than the arena itself: its live or lazily unmapped views.</summary>
    public static int ViewsOf(PageAllocator allocator)
    {
        long arena = AddressOf(allocator);
        var areas = Areas();
        string inode = areas.Single(a => a.Start == arena).Inode;
        return areas.Count(a => a.Inode == inode && a.Start != arena);
    }

    public static unsafe long AddressOf(PageMapping view)
    {
        fixed (byte* address = view.Span)
            return (long)address;
    }

    public static unsafe long AddressOf(PageAllocator allocator) => (long)allocator.Base;
}
