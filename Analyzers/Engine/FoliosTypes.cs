using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Folios.Analyzers.Engine;

/// <summary>
/// The runtime's types, resolved once per compilation (every rule shares them, through <see cref="CompilationFacts"/>)
/// by metadata name, so that the analyzers never reference the runtime assembly and a user's own wrappers carrying the
/// contract attributes join the analysis. They are looked up in the Folios.Runtime assembly only (or in the
/// compilation when it is that assembly): a lookup by name across all references would cost every project a search of
/// every framework assembly.
/// </summary>
internal sealed class FoliosTypes
{
    private readonly CompilationFacts _facts;
    private readonly Dictionary<string, long> _flags = new(StringComparer.Ordinal);
    private readonly Lazy<FoliosEntryPoints> _entryPoints;

    private FoliosTypes(IAssemblySymbol runtime, CompilationFacts facts)
    {
        _facts = facts;
        Runtime = runtime;
        PageAllocator = runtime.GetTypeByMetadataName(Names.PageAllocator.FullName);
        Folio = runtime.GetTypeByMetadataName(Names.Folio.FullName);
        ExtentBuffer = runtime.GetTypeByMetadataName(Names.ExtentBuffer.FullName);
        PageMapping = runtime.GetTypeByMetadataName(Names.PageMapping.FullName);
        AllocFlags = runtime.GetTypeByMetadataName(Names.AllocFlags.FullName);
        AllocationPolicy = runtime.GetTypeByMetadataName(Names.AllocationPolicy.FullName);
        PageOrderAttribute = runtime.GetTypeByMetadataName(Names.Contracts.PageOrder);
        AllocationSizeAttribute = runtime.GetTypeByMetadataName(Names.Contracts.AllocationSize);
        MapsPagesAttribute = runtime.GetTypeByMetadataName(Names.Contracts.MapsPages);
        UnmapsPagesAttribute = runtime.GetTypeByMetadataName(Names.Contracts.UnmapsPages);
        RawPageAccessAttribute = runtime.GetTypeByMetadataName(Names.Contracts.RawPageAccess);
        PageHelperAttribute = runtime.GetTypeByMetadataName(Names.Contracts.PageHelper);
        foreach (var member in AllocFlags?.GetMembers() ?? ImmutableArray<ISymbol>.Empty)
        {
            if (member is IFieldSymbol { HasConstantValue: true, ConstantValue: { } value })
                _flags[member.Name] = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
        }
        _entryPoints = new Lazy<FoliosEntryPoints>(() => new FoliosEntryPoints(this, facts.Compilation));
    }

    /// <summary>The Folios.Runtime assembly (or the compilation's own, when that is the runtime).</summary>
    public IAssemblySymbol Runtime { get; }

    /// <summary>The names that make code worth a Folios rule's look: the API's types and entry points, and the wrappers of it.</summary>
    public FoliosEntryPoints EntryPoints => _entryPoints.Value;

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
    public long? Flag(string name) => _flags.TryGetValue(name, out long value) ? value : null;

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
    public FrameworkTypes Framework => _facts.Framework;

    /// <summary>The Folios types of a compilation, or null when Folios.Runtime is not referenced.</summary>
    public static FoliosTypes? Of(Compilation compilation) => CompilationFacts.Of(compilation).Folios;

    internal static FoliosTypes? Resolve(Compilation compilation, CompilationFacts facts)
    {
        var runtime = compilation.Assembly.Name == Names.Runtime.Assembly
            ? compilation.Assembly
            : compilation.SourceModule.ReferencedAssemblySymbols.FirstOrDefault(assembly => assembly.Name == Names.Runtime.Assembly);
        if (runtime is null)
            return null;
        var types = new FoliosTypes(runtime, facts);
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
