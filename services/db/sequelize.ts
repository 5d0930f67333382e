import { Sequelize } from 'sequelize';

export interface DbConfig {
  DB_HOST: string;
  DB_PORT: number;
  DB_USER: string;
  DB_PASSWORD: string;
  DB_NAME: string;
  DB_POOL_MAX: number;
}

export function createSequelize(config: DbConfig): Sequelize {
  return new Sequelize(config.DB_NAME, config.DB_USER, config.DB_PASSWORD, {
    host: config.DB_HOST,
    port: config.DB_PORT,
    dialect: 'mysql',
    logging: false,
    // Every DATETIME is UTC in the database; the aggregator converts to the business time zone.
    timezone: '+00:00',
    benchmark: false,
    pool: { max: config.DB_POOL_MAX, min: 0, acquire: 10_000, idle: 30_000 },
    dialectOptions: {
      supportBigNumbers: true,
      bigNumberStrings: false,
      decimalNumbers: true,
      connectTimeout: 5_000,
    },
    define: { underscored: true, timestamps: false },
  });
}
