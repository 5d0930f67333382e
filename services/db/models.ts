import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Verdict } from '../core/verdict.js';

export class CampaignModel extends Model<InferAttributes<CampaignModel>, InferCreationAttributes<CampaignModel>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare totalStock: number;
  declare currentStock: number;
  declare successCount: CreationOptional<number>;
  declare soldOutCount: CreationOptional<number>;
  declare duplicateCount: CreationOptional<number>;
  declare startsAt: Date | null;
  declare endsAt: Date | null;
  declare createdAt: CreationOptional<Date>;
}

export class ParticipationModel extends Model<InferAttributes<ParticipationModel>, InferCreationAttributes<ParticipationModel>> {
  declare id: CreationOptional<number>;
  declare campaignId: number;
  declare userId: number;
  declare requestId: string;
  declare status: Verdict;
  declare source: 'KAFKA' | 'SYNC';
  declare logPartition: number | null;
  declare logOffset: number | null;
  declare acceptedAt: Date;
  declare decidedAt: Date;
}

export interface Models {
  Campaign: typeof CampaignModel;
  Participation: typeof ParticipationModel;
}

/** Binds the models to a connection. The schema itself is owned by the migrations, never sync(). */
export function defineModels(sequelize: Sequelize): Models {
  CampaignModel.init(
    {
      id: { type: DataTypes.BIGINT.UNSIGNED, primaryKey: true, autoIncrement: true },
      name: { type: DataTypes.STRING(100), allowNull: false },
      totalStock: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false },
      currentStock: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false },
      successCount: { type: DataTypes.BIGINT.UNSIGNED, allowNull: false, defaultValue: 0 },
      soldOutCount: { type: DataTypes.BIGINT.UNSIGNED, allowNull: false, defaultValue: 0 },
      duplicateCount: { type: DataTypes.BIGINT.UNSIGNED, allowNull: false, defaultValue: 0 },
      startsAt: { type: DataTypes.DATE(3), allowNull: true },
      endsAt: { type: DataTypes.DATE(3), allowNull: true },
      createdAt: { type: DataTypes.DATE(3), allowNull: false, defaultValue: DataTypes.NOW },
    },
    { sequelize, tableName: 'campaigns', underscored: true, timestamps: false },
  );
  ParticipationModel.init(
    {
      id: { type: DataTypes.BIGINT.UNSIGNED, primaryKey: true, autoIncrement: true },
      campaignId: { type: DataTypes.BIGINT.UNSIGNED, allowNull: false },
      userId: { type: DataTypes.BIGINT.UNSIGNED, allowNull: false },
      requestId: { type: DataTypes.STRING(64), allowNull: false },
      status: { type: DataTypes.ENUM('SUCCESS', 'SOLD_OUT', 'DUPLICATE'), allowNull: false },
      source: { type: DataTypes.ENUM('KAFKA', 'SYNC'), allowNull: false },
      logPartition: { type: DataTypes.INTEGER, allowNull: true },
      logOffset: { type: DataTypes.BIGINT, allowNull: true },
      acceptedAt: { type: DataTypes.DATE(3), allowNull: false },
      decidedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'participations', underscored: true, timestamps: false },
  );
  return { Campaign: CampaignModel, Participation: ParticipationModel };
}
