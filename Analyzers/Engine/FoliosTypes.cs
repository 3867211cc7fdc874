using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Folios.Analyzers.Engine;

/// <summary>
/// The runtime's types, resolved once per compilation (every rule shares them) by metadata name, so that the
/// analyzers never reference the runtime assembly and a user's own wrappers carrying the contract attributes join
/// the analysis. They are looked up in the Folios.Runtime assembly only (or in the compilation when it is that
/// assembly): a lookup by name across all references costs a project that does not use Folios a search of every
/// framework assembly, and the first one in a compilation builds the compiler's name tables (0.2 s on a cold build).
/// </summary>
internal sealed class FoliosTypes
{
    /// <summary>The assembly that defines the Folios API.</summary>
    public const string RuntimeAssembly = "Folios.Runtime";

    private static readonly PerCompilation<FoliosTypes?> Cache = new(Create);
    private readonly Compilation _compilation;
    // The AllocFlags members as two arrays, not a Dictionary<string, long>: a value-type instantiation a cold compiler
    // would first have to compile (4 ms in a trace of csc), for a dozen names.
    private readonly string[] _flagNames;
    private readonly long[] _flagValues;

    private FoliosTypes(Compilation compilation, IAssemblySymbol runtime)
    {
        _compilation = compilation;
        PageAllocator = runtime.GetTypeByMetadataName("Folios.PageAllocator");
        Folio = runtime.GetTypeByMetadataName("Folios.Folio");
        ExtentBuffer = runtime.GetTypeByMetadataName("Folios.ExtentBuffer");
        PageMapping = runtime.GetTypeByMetadataName("Folios.PageMapping");
        AllocFlags = runtime.GetTypeByMetadataName("Folios.AllocFlags");
        AllocationPolicy = runtime.GetTypeByMetadataName("Folios.AllocationPolicy");
        PageOrderAttribute = runtime.GetTypeByMetadataName("Folios.PageOrderAttribute");
        AllocationSizeAttribute = runtime.GetTypeByMetadataName("Folios.AllocationSizeAttribute");
        MapsPagesAttribute = runtime.GetTypeByMetadataName("Folios.MapsPagesAttribute");
        UnmapsPagesAttribute = runtime.GetTypeByMetadataName("Folios.UnmapsPagesAttribute");
        RawPageAccessAttribute = runtime.GetTypeByMetadataName("Folios.RawPageAccessAttribute");
        PageHelperAttribute = runtime.GetTypeByMetadataName("Folios.PageHelperAttribute");
        var names = new List<string>();
        var values = new List<long>();
        foreach (var member in AllocFlags?.GetMembers() ?? ImmutableArray<ISymbol>.Empty)
        {
            if (member is IFieldSymbol { HasConstantValue: true, ConstantValue: { } value })
            {
                names.Add(member.Name);
                values.Add(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        _flagNames = names.ToArray();
        _flagValues = values.ToArray();
    }

    /// <summary>Whether the method takes an AllocFlags argument: most calls do not, and the flag rules leave them first.</summary>
    public bool TakesFlags(IMethodSymbol method)
    {
        foreach (var parameter in method.Parameters)
        {
            if (SymbolEqualityComparer.Default.Equals(parameter.Type, AllocFlags))
                return true;
        }
        return false;
    }

    /// <summary>
    /// The value of the AllocFlags member of that name, read from the enum itself (a renumbered enum cannot make a rule
    /// lie), or null when the runtime has none.
    /// </summary>
    public long? Flag(string name)
    {
        for (int i = 0; i < _flagNames.Length; i++)
        {
            if (_flagNames[i] == name)
                return _flagValues[i];
        }
        return null;
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

    /// <summary>The framework types the rules compare calls with (BinaryPrimitives, MemoryMarshal, ...), resolved when first asked.</summary>
    public SequenceTypes Framework => SequenceTypes.Of(_compilation);

    /// <summary>The Folios types of a compilation, or null when Folios.Runtime is not referenced.</summary>
    public static FoliosTypes? TryCreate(Compilation compilation) => Cache.Of(compilation);

    private static FoliosTypes? Create(Compilation compilation)
    {
        var runtime = compilation.Assembly.Name == RuntimeAssembly
            ? compilation.Assembly
            : compilation.SourceModule.ReferencedAssemblySymbols.FirstOrDefault(assembly => assembly.Name == RuntimeAssembly);
        if (runtime is null)
            return null;
        var types = new FoliosTypes(compilation, runtime);
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

    /// <summary>
    /// True inside a method, local function, lambda or type marked [PageHelper]. The walk stops at the namespace: the
    /// attribute's usage allows no namespace, module or assembly, whose attribute lists are long and were read on every
    /// raw access.
    /// </summary>
    public bool IsInsidePageHelper(ISymbol? symbol)
    {
        for (; symbol is not null and not INamespaceSymbol; symbol = symbol.ContainingSymbol)
        {
            if (HasAttribute(symbol, PageHelperAttribute))
                return true;
        }
        return false;
    }
}
