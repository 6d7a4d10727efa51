using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Workflows.Host.Persistence;

// Used only by `dotnet ef migrations add`, one migration set per provider:
//   dotnet ef migrations add NAME --project Workflows.Host --context SqliteProcesFlowDbContext --output-dir Persistence/Migrations/Sqlite
//   dotnet ef migrations add NAME --project Workflows.Host --context PostgreSqlProcesFlowDbContext --output-dir Persistence/Migrations/PostgreSql

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteProcesFlowDbContext>
{
    public SqliteProcesFlowDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteProcesFlowDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlProcesFlowDbContext>
{
    public PostgreSqlProcesFlowDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlProcesFlowDbContext>().UseNpgsql("Host=localhost;Database=design_time", o => o.UseNodaTime()).Options);
}
