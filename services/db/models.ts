import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

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

export interface Models {
  Campaign: typeof CampaignModel;
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
  return { Campaign: CampaignModel };
}
