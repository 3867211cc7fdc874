using Microsoft.CodeAnalysis;

namespace Folios.Analyzers;

/// <summary>
/// The runtime's types, resolved once per compilation by metadata name, so that the analyzers never reference
/// the runtime assembly and a user's own wrappers carrying the contract attributes join the analysis.
/// </summary>
internal sealed class FoliosTypes
{
    private FoliosTypes(Compilation compilation)
    {
        PageAllocator = compilation.GetTypeByMetadataName("Folios.PageAllocator");
        Folio = compilation.GetTypeByMetadataName("Folios.Folio");
        ExtentBuffer = compilation.GetTypeByMetadataName("Folios.ExtentBuffer");
        PageMapping = compilation.GetTypeByMetadataName("Folios.PageMapping");
        AllocFlags = compilation.GetTypeByMetadataName("Folios.AllocFlags");
        AllocationPolicy = compilation.GetTypeByMetadataName("Folios.AllocationPolicy");
        PageOrderAttribute = compilation.GetTypeByMetadataName("Folios.PageOrderAttribute");
        AllocationSizeAttribute = compilation.GetTypeByMetadataName("Folios.AllocationSizeAttribute");
        MapsPagesAttribute = compilation.GetTypeByMetadataName("Folios.MapsPagesAttribute");
        UnmapsPagesAttribute = compilation.GetTypeByMetadataName("Folios.UnmapsPagesAttribute");
        RawPageAccessAttribute = compilation.GetTypeByMetadataName("Folios.RawPageAccessAttribute");
        PageHelperAttribute = compilation.GetTypeByMetadataName("Folios.PageHelperAttribute");
        BinaryPrimitives = compilation.GetTypeByMetadataName("System.Buffers.Binary.BinaryPrimitives");
        MemoryMarshal = compilation.GetTypeByMetadataName("System.Runtime.InteropServices.MemoryMarshal");
    }

    public INamedTypeSymbol? PageAllocator { get; }
    public INamedTypeSymbol? Folio { get; }
    public INamedTypeSymbol? ExtentBuffer { get; }
    public INamedTypeSymbol? PageMapping { get; }
    public INamedTypeSymbol? AllocFlags { get; }
    public INamedTypeSymbol? AllocationPolicy { get; }
    public INamedTypeSymbol? PageOrderAttribute { get; }
    public INamedTypeSymbol? AllocationSizeAttribute { get; }
    public INamedTypeSymbol? MapsPagesAttribute { get; }
    public INamedTypeSymbol? UnmapsPagesAttribute { get; }
    public INamedTypeSymbol? RawPageAccessAttribute { get; }
    public INamedTypeSymbol? PageHelperAttribute { get; }
    public INamedTypeSymbol? BinaryPrimitives { get; }
    public INamedTypeSymbol? MemoryMarshal { get; }

    /// <summary>The Folios types of a compilation, or null when Folios.Runtime is not referenced.</summary>
    public static FoliosTypes? TryCreate(Compilation compilation)
    {
        var types = new FoliosTypes(compilation);
        return types.PageAllocator is null && types.MapsPagesAttribute is null && types.RawPageAccessAttribute is null ? null : types;
    }

    public static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attribute)
    {
        if (attribute is null)
            return false;
        foreach (var data in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
                return true;
        }
        return false;
    }

    /// <summary>True inside a method, local function, lambda or type marked [PageHelper].</summary>
    public bool IsInsidePageHelper(ISymbol? symbol)
    {
        for (; symbol is not null; symbol = symbol.ContainingSymbol)
        {
            if (HasAttribute(symbol, PageHelperAttribute))
                return true;
        }
        return false;
    }
}
